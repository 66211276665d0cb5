export { execution as default } from './k6-shim';
