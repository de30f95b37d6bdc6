/**
 * Settings shared by the AWS integration tests. They talk only to a local moto server or a
 * local fake, with moto's dummy credentials, and turn off the SDK's instance metadata
 * lookup so no test ever reaches an AWS endpoint or a metadata service.
 */
process.env.AWS_ACCESS_KEY_ID = 'testing';
process.env.AWS_SECRET_ACCESS_KEY = 'testing';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
delete process.env.AWS_PROFILE;
delete process.env.AWS_SESSION_TOKEN;

/** The local moto server that `deploy/local/moto.sh start` runs. */
export const motoEndpoint = `http://127.0.0.1:${process.env.CIEM_LOCAL_MOTO_PORT ?? '5000'}`;

/** Region every test uses. */
export const testRegion = 'us-east-1';

/** Throws an error saying how to start moto when moto does not respond. */
export async function requireMoto(): Promise<void> {
  try {
    // The static dashboard page: moto's data.json dumps all stored state and answers 500
    // once some resources exist, so it cannot tell whether the server is up.
    const response = await fetch(`${motoEndpoint}/moto-api/`, {
      signal: AbortSignal.timeout(10_000),
    });
    if (response.ok) return;
  } catch {
    // Reported below.
  }
  throw new Error(
    `moto is not responding at ${motoEndpoint}; run 'bash deploy/local/moto.sh install' and 'bash deploy/local/moto.sh start' first`,
  );
}
