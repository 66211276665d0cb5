export { check, sleep } from './k6-shim';
