// undici's parts the registry client uses, in a module of their own so that registry-http.ts can
// load them with import() when it sends its first request: a static import of the CommonJS
// package is what gives the bundle its named exports.
export {Agent, interceptors, request} from 'undici';
