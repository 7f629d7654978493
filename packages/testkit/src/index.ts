export { createPrivateTmux, type PrivateTmux } from './private-tmux.js';
