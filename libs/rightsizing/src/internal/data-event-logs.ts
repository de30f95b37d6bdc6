import { classifyGcpPermission } from '@ciem/permission-map';
import { serviceOf } from './classify.js';
import type { RightsizingProvider } from './types.js';

/**
 * Azure Storage data services. Each has its own diagnostic setting, whose categories
 * StorageRead, StorageWrite and StorageDelete are enabled one by one ("Supported logs for
 * Microsoft.Storage/storageAccounts/blobServices" and its queue, table and file siblings).
 */
const AZURE_STORAGE_SERVICE =
  /^microsoft\.storage\/storageaccounts\/(blobservices|queueservices|tableservices|fileservices)\//;

const AZURE_STORAGE_CATEGORIES: Readonly<Record<string, string>> = {
  read: 'StorageRead',
  write: 'StorageWrite',
  delete: 'StorageDelete',
};

function azureStorageLogs(permission: string): { service: string; category?: string } | undefined {
  const lower = permission.toLowerCase();
  const service = AZURE_STORAGE_SERVICE.exec(lower)?.[1];
  if (service === undefined) return undefined;
  const verb = lower.slice(lower.lastIndexOf('/') + 1);
  return { service: `microsoft.storage\u0000${service}`, category: AZURE_STORAGE_CATEGORIES[verb] };
}

function gcpDataAccessLog(permission: string): string {
  // A Data Access entry whose permission name reads as a write records a DATA_WRITE.
  const type = classifyGcpPermission(permission);
  return `${serviceOf('gcp', permission)}\u0000${type === 'ADMIN_WRITE' ? 'DATA_WRITE' : type}`;
}

/**
 * Returns the log that a seen use of a data-event permission shows to be enabled, or
 * `undefined` when the permission name does not tell which log recorded it. The log is the
 * service. For GCP it is narrowed to the Data Access log type (`ADMIN_READ`, `DATA_READ` or
 * `DATA_WRITE`), because an audit config enables those one by one ("Configure Data Access
 * audit logs"). For Azure Storage it is narrowed to the data service and its category.
 */
export function dataEventLogOfUse(
  provider: RightsizingProvider,
  permission: string,
): string | undefined {
  if (provider === 'gcp') return gcpDataAccessLog(permission);
  if (provider === 'azure') {
    const storage = azureStorageLogs(permission);
    if (storage !== undefined) {
      return storage.category === undefined
        ? undefined
        : `${storage.service}\u0000${storage.category}`;
    }
  }
  return serviceOf(provider, permission);
}

/**
 * Returns the logs (as `dataEventLogOfUse` names them) that must all be enabled for a use of
 * the data-event permission to show. An Azure Storage data action whose verb is not read,
 * write or delete (`blobs/move/action`, a wildcard) may land in any of the three
 * categories, so it needs all three.
 */
export function dataEventLogsOfGrant(provider: RightsizingProvider, permission: string): string[] {
  if (provider === 'gcp') return [gcpDataAccessLog(permission)];
  if (provider === 'azure') {
    const storage = azureStorageLogs(permission);
    if (storage !== undefined) {
      const categories =
        storage.category === undefined
          ? Object.values(AZURE_STORAGE_CATEGORIES)
          : [storage.category];
      return categories.map((category) => `${storage.service}\u0000${category}`);
    }
  }
  return [serviceOf(provider, permission)];
}
