export { encoding as default } from './k6-shim';
