/**
 * The timeline page's HTML: a strict Content Security Policy (nothing by default, styles and the one script from
 * the extension's media folder, the script only with this load's nonce), no inline script or handler, and no data
 * in the markup: everything the page shows arrives by postMessage and is set with textContent. No vscode import,
 * so the policy is tested without an editor.
 */

export interface TimelinePageAssets {
	/** The webview's `cspSource`. */
	readonly cspSource: string;
	readonly nonce: string;
	readonly scriptUri: string;
	readonly styleUri: string;
}

function attr(v: string): string {
	return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function timelineHtml(a: TimelinePageAssets): string {
	const csp = ["default-src 'none'", `style-src ${a.cspSource}`, `img-src ${a.cspSource}`, `script-src 'nonce-${a.nonce}'`].join('; ');
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(a.styleUri)}">
<title>Call timeline</title>
</head>
<body>
<header class="toolbar">
	<h1 id="title" class="title"></h1>
	<fieldset class="filters">
		<legend class="visually-hidden">Show</legend>
		<label><input type="checkbox" id="show-requests" checked> Requests</label>
		<label><input type="checkbox" id="show-notifications" checked> Notifications</label>
		<label><input type="checkbox" id="show-actions" checked> Person actions</label>
		<label><input type="checkbox" id="only-findings"> Only findings</label>
	</fieldset>
	<div class="exports">
		<button type="button" id="export-har">Export HAR</button>
		<button type="button" id="export-mermaid">Export Mermaid</button>
		<button type="button" id="export-svg">Export SVG</button>
	</div>
	<p id="status" class="status" role="status" aria-live="polite"></p>
</header>
<div class="main">
	<section class="diagram" aria-label="Sequence diagram">
		<div id="lanes" class="lanes" aria-hidden="true"></div>
		<div id="rows" class="rows" role="listbox" tabindex="0" aria-label="Events: arrow keys move, Enter shows details, Left and Right jump between a request and its response"></div>
	</section>
	<aside id="details" class="details" aria-label="Event details" hidden>
		<div class="details-head"><h2 id="details-title"></h2><button type="button" id="details-close" aria-label="Close details">Close</button></div>
		<div id="details-body"></div>
	</aside>
</div>
<script nonce="${attr(a.nonce)}" src="${attr(a.scriptUri)}"></script>
</body>
</html>`;
}
