export { crypto as default } from './k6-shim';
