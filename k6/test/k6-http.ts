export { http as default } from './k6-shim';
