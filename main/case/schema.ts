// Column layout of the unified `events` table. The writer appends in this order and
// migration 1 creates the table from it, so the two cannot drift apart.

export interface EventColumn {
  name: string;
  type: 'BIGINT' | 'INTEGER' | 'SMALLINT' | 'VARCHAR' | 'TIMESTAMP' | 'VARCHAR[]' | 'JSON';
}

export const EVENT_COLUMNS = [
  { name: 'event_id', type: 'BIGINT' },
  { name: 'evidence_id', type: 'INTEGER' },
  { name: 'locator', type: 'VARCHAR' },
  { name: 'source', type: 'VARCHAR' },
  { name: 'log', type: 'VARCHAR' },
  { name: 'provider', type: 'VARCHAR' },
  { name: 'event_code', type: 'VARCHAR' },
  { name: 'ts', type: 'TIMESTAMP' },
  { name: 'ts_nanos', type: 'SMALLINT' },
  { name: 'ts_kind', type: 'VARCHAR' },
  { name: 'ts_note', type: 'VARCHAR' },
  { name: 'category', type: 'VARCHAR' },
  { name: 'action', type: 'VARCHAR' },
  { name: 'outcome', type: 'VARCHAR' },
  { name: 'host', type: 'VARCHAR' },
  { name: 'user_name', type: 'VARCHAR' },
  { name: 'user_domain', type: 'VARCHAR' },
  { name: 'user_sid', type: 'VARCHAR' },
  { name: 'logon_id', type: 'VARCHAR' },
  { name: 'process_guid', type: 'VARCHAR' },
  { name: 'process_pid', type: 'BIGINT' },
  { name: 'process_image', type: 'VARCHAR' },
  { name: 'process_command_line', type: 'VARCHAR' },
  { name: 'parent_guid', type: 'VARCHAR' },
  { name: 'parent_pid', type: 'BIGINT' },
  { name: 'parent_image', type: 'VARCHAR' },
  { name: 'src_ip', type: 'VARCHAR' },
  { name: 'src_port', type: 'INTEGER' },
  { name: 'dst_ip', type: 'VARCHAR' },
  { name: 'dst_port', type: 'INTEGER' },
  { name: 'protocol', type: 'VARCHAR' },
  { name: 'zeek_uid', type: 'VARCHAR' },
  { name: 'community_id', type: 'VARCHAR' },
  { name: 'dns_query', type: 'VARCHAR' },
  { name: 'dns_answers', type: 'VARCHAR[]' },
  { name: 'url', type: 'VARCHAR' },
  { name: 'user_agent', type: 'VARCHAR' },
  { name: 'file_path', type: 'VARCHAR' },
  { name: 'file_hash', type: 'VARCHAR' },
  { name: 'registry_key', type: 'VARCHAR' },
  { name: 'message', type: 'VARCHAR' },
  { name: 'data', type: 'JSON' },
] as const satisfies readonly EventColumn[];

export type EventColumnName = (typeof EVENT_COLUMNS)[number]['name'];
