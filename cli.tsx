// Entry point: hands the arguments to the program (source/app/main.ts) and exits with its code.
import process from 'node:process';
import {runMain} from './source/app/main.js';

process.exitCode = await runMain(process.argv.slice(2));
