export { podman, podmanEnv, PodmanError, CONTAINERS_CONF } from './podman';
export type { PodmanOptions } from './podman';
export { buildImages, builtImageTag, imageBytes, imageRef, imageSpecs, ROOT } from './images';
export type { BuildOptions, BuildReport, BuiltImage, ImageName, ImageSpec } from './images';
export { layerMakeup, layers } from './layers';
export type { Layer } from './layers';
