/**
 * Moves an element to the end of <body>, out of any table or clipping container, and removes it
 * when its owner goes away.
 */
export function portal(node: HTMLElement) {
	document.body.appendChild(node);
	return {
		destroy() {
			node.remove();
		}
	};
}
