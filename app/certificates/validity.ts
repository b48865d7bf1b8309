// «The certificate is valid at this moment»: one home for the fact that the intake, the profile and the
// operator's pre-checks all ask. Timestamps are ISO-8601 UTC strings, so they compare as text.
export function certificateValidAt(cert: { notBefore: string; notAfter: string }, nowIso: string): boolean {
  return cert.notBefore <= nowIso && nowIso <= cert.notAfter;
}
