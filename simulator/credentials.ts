/**
 * The simulator's credential scheme. Signatures are never verified; the access key id alone says who calls:
 * - long-term keys: `AKIA` + `SIM` + the 12-digit account id, e.g. AKIASIM111111111111 (from credentialsFor);
 * - temporary keys from STS AssumeRole: `ASIA` + `SIM` + the role's account id + a session number.
 * Both prefixes follow AWS's own: AKIA for IAM user keys, ASIA for temporary ones.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 */

const ACCESS_KEY = /^A[KS]IASIM(\d{12})/;

export interface SimCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Credentials that act as the given account, for an SDK client's `credentials` option. */
export function credentialsFor(accountId: string): SimCredentials {
  return { accessKeyId: `AKIASIM${accountId}`, secretAccessKey: `simulated-secret-${accountId}` };
}

export function temporaryCredentialsFor(accountId: string, session: number): Required<SimCredentials> {
  return {
    accessKeyId: `ASIASIM${accountId}${session}`,
    secretAccessKey: `simulated-secret-${accountId}-${session}`,
    sessionToken: `simulated-session-${session}`,
  };
}

/** The account an access key acts as, or undefined for a key this scheme did not make. */
export function accountOfAccessKey(accessKeyId: string): string | undefined {
  return ACCESS_KEY.exec(accessKeyId)?.[1];
}
