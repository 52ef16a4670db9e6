// The installer command lines, exactly as the DCE procedure gives them, as argument arrays.

/** `dce5-installer cluster-create -c <cfg> -m <manifest> -d -j13`: step 13 imports the addon package. */
export function buildClusterCreateCommand(installer: string, configPath: string, manifestPath: string): string[] {
	return [installer, 'cluster-create', '-c', configPath, '-m', manifestPath, '-d', '-j13'];
}

/**
 * `dce5-installer import -addon -c <cfg> --addon-path=<pkg>`. The public docs also spell the
 * subcommand `import-addon`; `importCommand` carries whichever the installer accepts.
 */
export function buildIntegrationCommand(installer: string, importCommand: string[], configPath: string, packagePath: string): string[] {
	return [installer, ...importCommand, '-c', configPath, `--addon-path=${packagePath}`];
}

/** Shell-quoted for reading (and copying into a terminal); never executed as a string. */
export function displayCommand(argv: string[]): string {
	return argv.map(arg => (/^[\w./=,:+@%-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", String.raw`'\''`)}'`)).join(' ');
}
