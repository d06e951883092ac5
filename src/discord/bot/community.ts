import type { Message } from 'discord.js';
import type { Network } from '../../config/network';
import type { Post } from '../../model';

/**
 * Messages in the community channels the config names become Posts. Bots and empty messages
 * are skipped. Needs the Message Content intent (privileged: enable it in the developer portal).
 */
export function discordChannelMap(networks: readonly Network[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const n of networks) for (const ch of n.social?.discordChannels ?? []) map.set(ch, n.name);
  return map;
}

export function postFromMessage(
  message: Pick<Message, 'id' | 'content' | 'createdTimestamp' | 'url' | 'channelId' | 'author'>,
  network: string,
): Post | null {
  if (message.author.bot || !message.content.trim()) return null;
  return {
    source: 'discord',
    id: message.id,
    author: message.author.username,
    authorId: message.author.id,
    text: message.content,
    createdAt: message.createdTimestamp,
    network,
    url: message.url,
    authorCreatedAt: message.author.createdTimestamp,
  };
}
