/**
 * Hand-written Azure Activity Log records in the two shapes that reach Event Hubs, for tests.
 *
 * - camelCase: the diagnostic-settings export of the activity log ("Azure Monitor activity
 *   log schema", section "Schema from storage account and event hubs"): `time`,
 *   `resourceId`, `operationName`, `category`, `resultType`, `identity`, `properties`.
 * - PascalCase: the `AzureActivity` table of Log Analytics as its data export writes it:
 *   `TimeGenerated`, `ResourceId`, `OperationName`, `OperationNameValue`, `SubscriptionId`,
 *   `Caller`, and `Properties` as a JSON string.
 *
 * Both are wrapped as `{"records":[...]}`, the body Azure Monitor sends to an event hub.
 */

/** Returns a camelCase diagnostic-settings record of a role assignment write in `subscriptionId`. */
export function camelCaseActivityRecord(
  index: number,
  subscriptionId: string,
  options: { propertiesAsString?: boolean } = {},
): Record<string, unknown> {
  const resourceId = `/subscriptions/${subscriptionId}/resourceGroups/rg-app/providers/Microsoft.Authorization/roleAssignments/0000000${index % 10}-1111-2222-3333-${String(index).padStart(12, '0')}`;
  const properties = {
    statusCode: 'Created',
    serviceRequestId: `5d2b3a5e-9c1f-4f0e-8a61-${String(index).padStart(12, '0')}`,
    eventCategory: 'Administrative',
    entity: resourceId,
    message: 'Microsoft.Authorization/roleAssignments/write',
    hierarchy: `72f988bf-86f1-41af-91ab-2d7cd011db47/${subscriptionId}`,
  };
  return {
    time: `2025-03-04T10:${String(Math.floor(index / 60) % 60).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}.1234567Z`,
    resourceId,
    operationName: 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE',
    category: 'Administrative',
    resultType: 'Success',
    resultSignature: 'Succeeded.Created',
    durationMs: '412',
    callerIpAddress: '203.0.113.24',
    correlationId: `c776f9f4-36e5-4e0e-809b-${String(index).padStart(12, '0')}`,
    identity: {
      authorization: {
        scope: resourceId,
        action: 'Microsoft.Authorization/roleAssignments/write',
        evidence: { role: 'Owner', roleAssignmentScope: `/subscriptions/${subscriptionId}` },
      },
      claims: {
        aud: 'https://management.core.windows.net/',
        'http://schemas.microsoft.com/identity/claims/objectidentifier':
          'a1b2c3d4-0000-4000-8000-00000000000a',
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': 'alice@contoso.example',
      },
    },
    level: 'Information',
    location: 'global',
    properties: options.propertiesAsString === true ? JSON.stringify(properties) : properties,
  };
}

/** Returns a PascalCase `AzureActivity` record of a storage key listing in `subscriptionId`. */
export function pascalCaseActivityRecord(
  index: number,
  subscriptionId: string,
): Record<string, unknown> {
  const upper = subscriptionId.toUpperCase();
  return {
    TenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    SourceSystem: 'Azure',
    TimeGenerated: `2025-03-04T11:00:${String(index % 60).padStart(2, '0')}.5000000Z`,
    OperationName: 'List Storage Account Keys',
    OperationNameValue: 'MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION',
    Level: 'Informational',
    ActivityStatusValue: 'Success',
    ActivitySubstatusValue: 'OK',
    ResourceGroup: 'RG-DATA',
    SubscriptionId: subscriptionId,
    CorrelationId: `9e1c2d3f-aaaa-4bbb-8ccc-${String(index).padStart(12, '0')}`,
    Caller: 'b2c3d4e5-0000-4000-8000-00000000000b',
    CallerIpAddress: '198.51.100.7',
    CategoryValue: 'Administrative',
    Properties: JSON.stringify({
      eventCategory: 'Administrative',
      entity: `/subscriptions/${subscriptionId}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/stdata${index}`,
      message: 'Microsoft.Storage/storageAccounts/listKeys/action',
      statusCode: 'OK',
    }),
    ResourceId: `/SUBSCRIPTIONS/${upper}/RESOURCEGROUPS/RG-DATA/PROVIDERS/MICROSOFT.STORAGE/STORAGEACCOUNTS/STDATA${index}`,
    Type: 'AzureActivity',
  };
}

/** Returns the body Azure Monitor sends: `{"records":[...]}` as JSON text. */
export function recordsBody(records: readonly unknown[], indent?: number): string {
  return JSON.stringify({ records }, null, indent);
}
