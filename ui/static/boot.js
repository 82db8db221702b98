// Loads the wasm UI. A separate file because the CSP allows no inline script.
import init from "./vocwb-ui.js";
init();
