export * from './steps';
export * from './domain-error';
export * from './cloudinary-stand-in';
export * from './media-files';
