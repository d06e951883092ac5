import { ButtonStyle, ComponentType } from 'discord.js';
import type { APIActionRowComponent, APIButtonComponentWithCustomId, APIComponentInMessageActionRow } from 'discord-api-types/v10';
import { type Incident, isClosed } from '../model';
import { BUTTONS_PER_ROW, CUSTOM_ID_MAX } from './limits';

/**
 * The moderator buttons under an incident's root message, and the custom_id format the
 * interaction router parses back: `incident:<action>:<incidentId>`. Incident ids contain no
 * ':' (see Incident.id), so the id is everything after the second ':'.
 * custom_id: 1–100 characters, unique per message
 * (https://discord.com/developers/docs/components/reference#button).
 */

export const INCIDENT_ACTIONS = ['ack', 'update', 'resolve', 'confirm', 'dismiss'] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

const PREFIX = 'incident';

export function incidentCustomId(action: IncidentAction, incidentId: string): string {
  return `${PREFIX}:${action}:${incidentId}`;
}

/**
 * The inverse of incidentCustomId; null for any other custom_id (another feature's button).
 * Ids are network names (lowercase letters, digits, dashes) plus a timestamp: anything else
 * in a custom_id did not come from us.
 */
export function parseIncidentCustomId(customId: string): { action: IncidentAction; incidentId: string } | null {
  const m = /^incident:([a-z]+):([A-Za-z0-9_.-]{1,90})$/.exec(customId);
  if (!m) return null;
  const action = INCIDENT_ACTIONS.find((a) => a === m[1]);
  return action ? { action, incidentId: m[2]! } : null;
}

const BUTTON: Record<IncidentAction, { label: string; style: APIButtonComponentWithCustomId['style'] }> = {
  ack: { label: 'Acknowledge', style: ButtonStyle.Primary },
  update: { label: 'Post update', style: ButtonStyle.Secondary },
  resolve: { label: 'Resolve', style: ButtonStyle.Success },
  confirm: { label: 'Make public', style: ButtonStyle.Danger },
  dismiss: { label: 'Dismiss', style: ButtonStyle.Secondary },
};

/** Which actions make sense now: a closed incident takes none, an acknowledged one no second ack. */
export function incidentActions(incident: Pick<Incident, 'status' | 'ack'>): IncidentAction[] {
  if (isClosed(incident)) return [];
  return INCIDENT_ACTIONS.filter((a) => {
    if (a === 'ack') return incident.ack === null;
    if (a === 'confirm') return incident.status === 'suspected';
    return true;
  });
}

/**
 * The action rows for the root message. Always an array, empty when there is nothing to do:
 * an edit that omits `components` keeps the old buttons, so a resolved incident must send [].
 * An id too long for a custom_id gets no buttons rather than a payload Discord rejects: the
 * alert matters more than the buttons, and /incident commands still work.
 */
export function incidentButtons(
  incident: Pick<Incident, 'id' | 'status' | 'ack'>,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const actions = incidentActions(incident);
  const buttons: APIButtonComponentWithCustomId[] = actions.map((action) => ({
    type: ComponentType.Button,
    custom_id: incidentCustomId(action, incident.id),
    label: BUTTON[action].label,
    style: BUTTON[action].style,
  }));
  if (buttons.length === 0 || buttons.some((b) => b.custom_id.length > CUSTOM_ID_MAX)) return [];
  const rows: APIActionRowComponent<APIComponentInMessageActionRow>[] = [];
  for (let i = 0; i < buttons.length; i += BUTTONS_PER_ROW) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + BUTTONS_PER_ROW) });
  }
  return rows;
}
