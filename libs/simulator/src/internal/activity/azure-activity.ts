import { isOperationAllowed } from '../catalog/azure-roles.js';
import type { ApiCall } from '../catalog/types.js';
import type { AzureSubscription, Principal } from '../estate/model.js';
import { Prng } from '../prng.js';
import { BufferedFile } from '../sink.js';
import { dayParts, notePlanted, withAttackSteps } from './context.js';
import type { GeneratorContext } from './context.js';
import { planDay } from './schedule.js';
import type { PlannedCall } from './schedule.js';

const PORTAL_APP_ID = 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c';
const AZURE_CLI_APP_ID = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

/**
 * Writes one day of Activity Log for one subscription, as the diagnostic-settings export
 * stores it: `{"records":[...]}`. A write produces a `Start` record and a `Success` record
 * with the same `correlationId`; a request the caller's roles do not allow produces one
 * `Failure` record.
 */
export async function writeAzureDay(
  context: GeneratorContext,
  subscription: AzureSubscription,
  day: number,
  dayStart: number,
): Promise<void> {
  const { date } = dayParts(dayStart);
  const file = new BufferedFile(
    context.sink,
    `azure/activity/${subscription.id}/${date}.json`,
    context.stats,
  );
  let first = true;
  const emit = async (record: Record<string, unknown>): Promise<void> => {
    if (first) await file.write('{"records":[');
    await file.write(first ? JSON.stringify(record) : `,${JSON.stringify(record)}`);
    first = false;
    context.events.azure++;
  };

  for (const principal of context.estate.principals) {
    if (principal.azure?.subscriptionId !== subscription.id) continue;
    const rng = new Prng(context.seed, 'activity', principal.key, day);
    const calls = withAttackSteps(
      context,
      principal,
      day,
      planDay(rng, principal, day, dayStart, context.eventsPerDay),
    );
    if (calls.length === 0) continue;
    const sourceIp = rng.pick(principal.ips);
    const claims = claimsFor(rng, context, principal, sourceIp, calls[0]?.time ?? dayStart);
    for (const planned of calls) {
      for (const record of buildOperation(
        rng,
        context,
        subscription,
        principal,
        planned,
        claims,
        sourceIp,
      )) {
        notePlanted(
          context,
          planned,
          `${String(record.correlationId)}:${String(record.resultType)}`,
          String(record.time),
          sourceIp,
        );
        await emit(record);
      }
    }
  }
  if (!first) {
    await file.write(']}');
    await file.close();
  }
}

/** Formats a time the way Azure does: seven fractional digits. */
function azureTime(ms: number, rng: Prng): string {
  return `${new Date(ms).toISOString().slice(0, 23)}${String(rng.int(10_000)).padStart(4, '0')}Z`;
}

function claimsFor(
  rng: Prng,
  context: GeneratorContext,
  principal: Principal,
  ip: string,
  firstTime: number,
): Record<string, string> {
  const azure = principal.azure;
  const tenant = context.estate.azureTenantId;
  const iat = Math.floor(firstTime / 1000) - 300;
  const common: Record<string, string> = {
    aud: 'https://management.core.windows.net/',
    iss: `https://sts.windows.net/${tenant}/`,
    iat: String(iat),
    nbf: String(iat),
    exp: String(iat + 4_500),
  };
  if (azure?.principalType === 'User') {
    return {
      ...common,
      'http://schemas.microsoft.com/claims/authnclassreference': '1',
      'http://schemas.microsoft.com/claims/authnmethodsreferences':
        principal.key.length % 3 === 0 ? 'pwd' : 'pwd,mfa',
      appid: rng.chance(0.5) ? PORTAL_APP_ID : AZURE_CLI_APP_ID,
      appidacr: '0',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname':
        principal.name.split('.')[0] ?? '',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname':
        principal.name.split('.')[1] ?? '',
      idtyp: 'user',
      ipaddr: ip,
      name: principal.name,
      'http://schemas.microsoft.com/identity/claims/objectidentifier': azure.objectId,
      'http://schemas.microsoft.com/identity/claims/scope': 'user_impersonation',
      'http://schemas.microsoft.com/identity/claims/tenantid': tenant,
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name': azure.upn ?? '',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': azure.upn ?? '',
      uti: rng.chars(22, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'),
      ver: '1.0',
    };
  }
  const claims: Record<string, string> = {
    ...common,
    aio: rng.chars(48, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'),
    appid: azure?.appId ?? '',
    appidacr: azure?.managedIdentityResourceId ? '2' : '1',
    'http://schemas.microsoft.com/identity/claims/identityprovider': `https://sts.windows.net/${tenant}/`,
    idtyp: 'app',
    'http://schemas.microsoft.com/identity/claims/objectidentifier': azure?.objectId ?? '',
    'http://schemas.microsoft.com/identity/claims/tenantid': tenant,
    uti: rng.chars(22, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'),
    ver: '1.0',
  };
  if (azure?.managedIdentityResourceId) claims.xms_mirid = azure.managedIdentityResourceId;
  return claims;
}

function resourceIdFor(
  rng: Prng,
  call: ApiCall,
  subscription: AzureSubscription,
  principal: Principal,
): string {
  const sub = `/subscriptions/${subscription.id}`;
  const rg = principal.azure?.resourceGroup ?? (subscription.resourceGroups[0] as string);
  const base = `${sub}/resourceGroups/${rg}/providers`;
  const n = rng.int(4);
  const short = rg.replace(/^rg-/, '').replace(/-/g, '');
  switch (call.resource) {
    case 'vm':
      return `${base}/Microsoft.Compute/virtualMachines/vm-${short}-${n}`;
    case 'disk':
      return `${base}/Microsoft.Compute/disks/vm-${short}-${n}_OsDisk_1_${rng.hex(32)}`;
    case 'storageAccount':
      return `${base}/Microsoft.Storage/storageAccounts/st${short.slice(0, 14)}${n}`;
    case 'container':
      return `${base}/Microsoft.Storage/storageAccounts/st${short.slice(0, 14)}${n}/blobServices/default/containers/uploads`;
    case 'nsg':
      return `${base}/Microsoft.Network/networkSecurityGroups/nsg-${short}-${n}`;
    case 'securityRule':
      return `${base}/Microsoft.Network/networkSecurityGroups/nsg-${short}-${n}/securityRules/allow-https-${rng.int(100)}`;
    case 'publicIp':
      return `${base}/Microsoft.Network/publicIPAddresses/pip-${short}-${n}`;
    case 'vnet':
      return `${base}/Microsoft.Network/virtualNetworks/vnet-${short}`;
    case 'deployment':
      return `${base}/Microsoft.Resources/deployments/release-${rng.hex(8)}`;
    case 'resourceGroup':
      return `${sub}/resourceGroups/${rg}`;
    case 'site':
      return `${base}/Microsoft.Web/sites/app-${short}-${n}`;
    case 'siteConfig':
      return `${base}/Microsoft.Web/sites/app-${short}-${n}/config/web`;
    case 'vault':
      return `${base}/Microsoft.KeyVault/vaults/kv-${short.slice(0, 16)}`;
    case 'vaultAccessPolicy':
      return `${base}/Microsoft.KeyVault/vaults/kv-${short.slice(0, 16)}/accessPolicies/add`;
    case 'cluster':
      return `${base}/Microsoft.ContainerService/managedClusters/aks-${short}`;
    case 'roleAssignment':
      return `${sub}/providers/Microsoft.Authorization/roleAssignments/${rng.uuid()}`;
    case 'diagnosticSetting':
      return `${sub}/providers/microsoft.insights/diagnosticSettings/export-to-eventhub`;
    case 'activityLogAlert':
      return `${base}/microsoft.insights/activityLogAlerts/alert-${rng.hex(6)}`;
    default:
      return `${sub}/resourceGroups/${rg}`;
  }
}

function buildOperation(
  rng: Prng,
  context: GeneratorContext,
  subscription: AzureSubscription,
  principal: Principal,
  planned: PlannedCall,
  claims: Record<string, string>,
  sourceIp: string,
): Array<Record<string, unknown>> {
  const azure = principal.azure;
  const resourceId = resourceIdFor(rng, planned.call, subscription, principal);
  const correlationId = rng.uuid();
  const tenant = context.estate.azureTenantId;
  const operation = planned.call.name;
  const assignment = azure?.assignments.find((a) => isOperationAllowed([a.role], operation));
  const authorization: Record<string, unknown> = { scope: resourceId, action: operation };
  if (assignment && !planned.denied) {
    authorization.evidence = {
      role: assignment.role.roleName,
      roleAssignmentScope: assignment.scope,
      roleAssignmentId: assignment.id.replace(/-/g, ''),
      roleDefinitionId: assignment.role.name.replace(/-/g, ''),
      principalId: (azure?.objectId ?? '').replace(/-/g, ''),
      principalType: azure?.principalType ?? 'User',
    };
  }
  const identity = { authorization, claims };
  const upper = rng.chance(0.7);
  const shownId = upper ? resourceId.toUpperCase() : resourceId;
  const shownOperation = upper ? operation.toUpperCase() : operation;
  const hierarchy = `${tenant}/${subscription.id}`;
  const requestbody = requestBodyFor(rng, planned, subscription, resourceId, principal);

  if (planned.denied) {
    const message = `The client '${azure?.upn ?? azure?.objectId}' with object id '${azure?.objectId}' does not have authorization to perform action '${operation}' over scope '${resourceId}' or the scope is invalid. If access was recently granted, please refresh your credentials.`;
    return [
      {
        time: azureTime(planned.time, rng),
        resourceId: shownId,
        operationName: shownOperation,
        category: 'Administrative',
        resultType: 'Failure',
        resultSignature: 'Forbidden.AuthorizationFailed',
        durationMs: '0',
        callerIpAddress: sourceIp,
        correlationId,
        identity,
        level: 'Error',
        properties: {
          statusCode: 'Forbidden',
          statusMessage: JSON.stringify({ error: { code: 'AuthorizationFailed', message } }),
          eventCategory: 'Administrative',
          entity: resourceId,
          message: operation,
          hierarchy,
        },
        tenantId: tenant,
      },
    ];
  }

  const duration = 200 + rng.int(8_000);
  const start: Record<string, unknown> = {
    time: azureTime(planned.time, rng),
    resourceId: shownId,
    operationName: shownOperation,
    category: 'Administrative',
    resultType: 'Start',
    resultSignature: 'Started.',
    durationMs: '0',
    callerIpAddress: sourceIp,
    correlationId,
    identity,
    level: 'Informational',
    properties: {
      ...(requestbody ? { requestbody } : {}),
      eventCategory: 'Administrative',
      entity: resourceId,
      message: operation,
      hierarchy,
    },
    tenantId: tenant,
  };
  const created = operation.endsWith('/write');
  const success: Record<string, unknown> = {
    ...start,
    time: azureTime(planned.time + duration, rng),
    resultType: 'Success',
    resultSignature: created
      ? 'Succeeded.Created'
      : operation.endsWith('/action')
        ? 'Succeeded.OK'
        : 'Succeeded.OK',
    durationMs: String(duration),
    properties: {
      statusCode: created ? 'Created' : 'OK',
      serviceRequestId: rng.uuid(),
      eventCategory: 'Administrative',
      entity: resourceId,
      message: operation,
      hierarchy,
    },
  };
  return [start, success];
}

function requestBodyFor(
  rng: Prng,
  planned: PlannedCall,
  subscription: AzureSubscription,
  resourceId: string,
  principal: Principal,
): string | undefined {
  const operation = planned.call.name;
  if (operation === 'Microsoft.Authorization/roleAssignments/write') {
    const roleGuid =
      planned.detail?.roleName === 'Owner'
        ? '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'
        : 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
    return JSON.stringify({
      Id: resourceId.slice(resourceId.lastIndexOf('/') + 1),
      Properties: {
        PrincipalId: planned.detail?.roleName === 'Owner' ? principal.azure?.objectId : rng.uuid(),
        PrincipalType: principal.azure?.principalType ?? 'User',
        RoleDefinitionId: `/subscriptions/${subscription.id}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
        Scope: `/subscriptions/${subscription.id}`,
      },
    });
  }
  if (operation === 'Microsoft.Network/networkSecurityGroups/securityRules/write') {
    return JSON.stringify({
      properties: {
        protocol: 'Tcp',
        sourcePortRange: '*',
        destinationPortRange: '443',
        sourceAddressPrefix: '*',
        destinationAddressPrefix: '*',
        access: 'Allow',
        priority: 100 + rng.int(300),
        direction: 'Inbound',
      },
    });
  }
  if (operation === 'Microsoft.Compute/virtualMachines/write') {
    return JSON.stringify({
      location: subscription.locations[0],
      properties: { hardwareProfile: { vmSize: 'Standard_D2s_v5' } },
    });
  }
  return undefined;
}
