/**
 * Copies each column's heading onto its cells (`data-label`) and marks the table, so narrow
 * screens can show one card per row with "heading: value" lines (see `.data-table.cards` in
 * app.css). Without JavaScript the table stays a scrollable table.
 */
export function tableCards(table: HTMLTableElement) {
	const label = () => {
		const headings = Array.from(table.tHead?.rows[0]?.cells ?? [], (th) => th.textContent?.trim() ?? '');
		for (const body of Array.from(table.tBodies)) {
			for (const row of Array.from(body.rows)) {
				Array.from(row.cells).forEach((cell, i) => {
					const text = cell.colSpan > 1 ? '' : (headings[i] ?? '');
					if (cell.dataset.label !== text) cell.dataset.label = text;
				});
			}
		}
	};
	label();
	table.classList.add('cards');
	const observer = new MutationObserver(label);
	observer.observe(table, { childList: true, subtree: true, characterData: true });
	return {
		destroy() {
			observer.disconnect();
		}
	};
}
