// Field names and types of the Zeek logs the generator writes, as Zeek 6.0 writes them
// with the default scripts plus `local.zeek` (which loads certificate validation, adding
// `validation_status` to ssl.log). conn.log has no `ip_proto` column, which Zeek 7.1 added.

export interface ZeekSchema {
  path: string;
  fields: string[];
  types: string[];
}

function schema(path: string, columns: string): ZeekSchema {
  const pairs = columns
    .trim()
    .split(/\s+/)
    .map((pair) => pair.split('=') as [string, string]);
  return { path, fields: pairs.map(([name]) => name), types: pairs.map(([, type]) => type) };
}

const ID = 'id.orig_h=addr id.orig_p=port id.resp_h=addr id.resp_p=port';

export const ZEEK_SCHEMAS = {
  conn: schema(
    'conn',
    `ts=time uid=string ${ID} proto=enum service=string duration=interval orig_bytes=count resp_bytes=count conn_state=string
     local_orig=bool local_resp=bool missed_bytes=count history=string orig_pkts=count orig_ip_bytes=count resp_pkts=count
     resp_ip_bytes=count tunnel_parents=set[string]`,
  ),
  dns: schema(
    'dns',
    `ts=time uid=string ${ID} proto=enum trans_id=count rtt=interval query=string qclass=count qclass_name=string qtype=count
     qtype_name=string rcode=count rcode_name=string AA=bool TC=bool RD=bool RA=bool Z=count answers=vector[string]
     TTLs=vector[interval] rejected=bool`,
  ),
  http: schema(
    'http',
    `ts=time uid=string ${ID} trans_depth=count method=string host=string uri=string referrer=string version=string
     user_agent=string origin=string request_body_len=count response_body_len=count status_code=count status_msg=string
     info_code=count info_msg=string tags=set[enum] username=string password=string proxied=set[string]
     orig_fuids=vector[string] orig_filenames=vector[string] orig_mime_types=vector[string] resp_fuids=vector[string]
     resp_filenames=vector[string] resp_mime_types=vector[string]`,
  ),
  ssl: schema(
    'ssl',
    `ts=time uid=string ${ID} version=string cipher=string curve=string server_name=string resumed=bool last_alert=string
     next_protocol=string established=bool ssl_history=string cert_chain_fps=vector[string] client_cert_chain_fps=vector[string]
     sni_matches_cert=bool validation_status=string`,
  ),
  files: schema(
    'files',
    `ts=time fuid=string uid=string ${ID} source=string depth=count analyzers=set[string] mime_type=string filename=string
     duration=interval local_orig=bool is_orig=bool seen_bytes=count total_bytes=count missing_bytes=count overflow_bytes=count
     timedout=bool parent_fuid=string md5=string sha1=string sha256=string extracted=string extracted_cutoff=bool
     extracted_size=count`,
  ),
  x509: schema(
    'x509',
    `ts=time fingerprint=string certificate.version=count certificate.serial=string certificate.subject=string
     certificate.issuer=string certificate.not_valid_before=time certificate.not_valid_after=time certificate.key_alg=string
     certificate.sig_alg=string certificate.key_type=string certificate.key_length=count certificate.exponent=string
     certificate.curve=string san.dns=vector[string] san.uri=vector[string] san.email=vector[string] san.ip=vector[addr]
     basic_constraints.ca=bool basic_constraints.path_len=count host_cert=bool client_cert=bool`,
  ),
  notice: schema(
    'notice',
    `ts=time uid=string ${ID} fuid=string file_mime_type=string file_desc=string proto=enum note=enum msg=string sub=string
     src=addr dst=addr p=port n=count peer_descr=string actions=set[enum] email_dest=set[string] suppress_for=interval
     remote_location.country_code=string remote_location.region=string remote_location.city=string
     remote_location.latitude=double remote_location.longitude=double`,
  ),
} satisfies Record<string, ZeekSchema>;

export type ZeekLogName = keyof typeof ZEEK_SCHEMAS;
export const ZEEK_LOG_NAMES = Object.keys(ZEEK_SCHEMAS) as ZeekLogName[];
