// Text helpers.

/**
 * plainText turns the HTML of a rich-text field (notices.body) into plain
 * text with paragraph breaks, without ever inserting the HTML into the page.
 */
export function plainText(html) {
	if (!html) return '';
	const doc = new DOMParser().parseFromString(String(html), 'text/html');
	for (const el of doc.body.querySelectorAll('br')) el.replaceWith('\n');
	for (const el of doc.body.querySelectorAll('p, div, li, h1, h2, h3, h4')) el.append('\n');
	return (doc.body.textContent ?? '').replace(/\n{3,}/g, '\n\n').trim();
}
