// The МЧД's limits, shared by the server and the upload form in the browser (so not *.server).
export const MCHD_MAX_BYTES = 1024 * 1024;
export const MCHD_SIGNATURE_MAX_BYTES = 256 * 1024;
