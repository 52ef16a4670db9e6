// Where the installer unpacks: the name every cleanup, disk estimate and live-writer check agrees on.
/** The folder dce5-installer unpacks a package into, inside its working directory (the seed's pitfall 2). */
export const targetDirName = 'addon-offline-target-package';
