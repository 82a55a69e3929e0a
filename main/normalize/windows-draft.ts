// The draft a per-channel mapping fills in, and the helpers the mappings share to
// set accounts and build one-line messages.

import type { UnifiedEvent } from '../../shared/events.ts';
import { accountText, type EventFields, splitAccount } from './windows-fields.ts';

/** The event as the per-channel mappings fill it in. */
export type WindowsDraft = Omit<UnifiedEvent, 'locator' | 'source' | 'log' | 'ts_micros' | 'data'>;
export type Mapping = (f: EventFields, draft: WindowsDraft) => void;

export function setUser(draft: WindowsDraft, account: string | null): void {
  const { name, domain } = splitAccount(account);
  draft.user_name = name;
  draft.user_domain = domain;
}

export function userOf(draft: WindowsDraft): string | null {
  return accountText(draft.user_name ?? null, draft.user_domain ?? null);
}

export function joinParts(...parts: (string | null | undefined | false)[]): string {
  return parts.filter((part): part is string => typeof part === 'string' && part !== '').join(', ');
}

export function withDetails(head: string, ...parts: (string | null | undefined | false)[]): string {
  const details = joinParts(...parts);
  return details === '' ? head : `${head} (${details})`;
}

export function contextValue(context: string | null, key: string): string | null {
  if (context === null) return null;
  const match = new RegExp(`(?:^|[\\r\\n])\\s*${key}\\s*=\\s*([^\\r\\n]*)`).exec(context);
  return match && match[1]!.trim() !== '' ? match[1]!.trim() : null;
}

/**
 * Return the image path for a process-creation message when the command line does not
 * name it in full (`powershell`, `consent.exe 4516 288`), so the message shows which
 * binary ran; null when the command line already starts with the path or either is missing.
 */
export function imageIfHidden(commandLine: string | null | undefined, image: string | null | undefined): string | null {
  if (!commandLine || !image) return null;
  const command = commandLine.trim().replace(/^"/, '').toLowerCase();
  return command.startsWith(image.toLowerCase()) ? null : image;
}

export function firstLine(text: string | null, limit = 200): string | null {
  if (text === null) return null;
  const line = text.trim().split(/\r?\n/, 1)[0] ?? '';
  return line.length > limit ? `${line.slice(0, limit)}…` : line;
}

/** Security events name the acting account in Subject* fields and the affected one in Target* fields. */
export function subject(f: EventFields): string | null {
  return accountText(f.get('SubjectUserName'), f.get('SubjectDomainName'));
}

export function setTargetUser(f: EventFields, d: WindowsDraft): void {
  d.user_name = f.get('TargetUserName');
  d.user_domain = f.get('TargetDomainName');
  d.user_sid = f.get('TargetUserSid', 'TargetSid');
}

export function setSubjectUser(f: EventFields, d: WindowsDraft): void {
  d.user_name = f.get('SubjectUserName');
  d.user_domain = f.get('SubjectDomainName');
  d.user_sid = f.get('SubjectUserSid');
  d.logon_id = f.get('SubjectLogonId');
}
