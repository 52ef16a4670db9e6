// The /v2 paths and token scopes the restore port and undo's read of "now" ask for, spelt once.
export const encodePath = (repository: string) => repository.split('/').map(encodeURIComponent).join('/');
export const manifestPath = (repository: string, reference: string) =>
	`/v2/${encodePath(repository)}/manifests/${encodeURIComponent(reference)}`;
export const blobPath = (repository: string, digest: string) => `/v2/${encodePath(repository)}/blobs/${digest}`;
export const pull = (repository: string) => [`repository:${repository}:pull`];
export const push = (repository: string) => [`repository:${repository}:pull,push`];
export const remove = (repository: string) => [`repository:${repository}:pull,push,delete`];
