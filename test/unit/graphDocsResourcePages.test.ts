/**
 * The resource-page half of test/scripts/refreshGraphDocsFixtures.js: how it reads a page laid out like the Graph
 * docs' resource pages, and that the committed fixtures (test/fixtures/graph-docs/resources) are one per listed page,
 * each naming its docs file and commit.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Property { name: string; type: string; types: string[]; collection: boolean; values: string[]; readOnly: boolean; required: string | null }
interface ResourcePage { name: string; odataType: string | null; baseType: string | null; openType: boolean; optionalProperties: string[]; properties: Property[]; enums: Record<string, string[]>; relationships: { name: string }[]; json: Record<string, unknown> | null; jsonRepaired?: string }
interface Script { parseResourcePage(text: string): ResourcePage; RESOURCE_PAGES: string[] }

function repoRoot(): string {
	let dir = __dirname;
	while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
	return dir;
}
const root = repoRoot();
// The script is plain Node (run without a build); the test loads it as such.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const script = require(path.join(root, 'test/scripts/refreshGraphDocsFixtures.js')) as Script;

/** A page in the docs' layout: front matter, title, property table, an enum table, relationships, the JSON representation. */
const PAGE = [
	'---', 'title: "widget resource type"', '---', '', '# widget resource type', '', 'Namespace: microsoft.graph', '',
	'## Methods', '', '| Method | Return Type | Description |', '|:--|:--|:--|', '| [Get](../api/widget-get.md) | [widget](widget.md) | Read it. |', '',
	'## Properties', '',
	'| Property | Type | Description |', '| :------- | :--- | :---------- |',
	'| id | String | The identifier. Read-only. |',
	'| mediaConfig | [appHostedMediaConfig](apphostedmediaconfig.md) or [serviceHostedMediaConfig](servicehostedmediaconfig.md) | The media configuration. Required. |',
	'| targets | [invitationParticipantInfo](participantinfo.md) collection | The targets. Required information for creating peer to peer call. |',
	'| state | callState | The state. Possible values are: `incoming`, `established`, `terminated`. Read-only. |',
	'| reason | [widgetReason](widget.md#widgetreason-values) | Why. |',
	'| modalities | modality collection | Possible values are: `audio`, `video`. |',
	'', '### widgetReason values', '| Member | Description |', '|:--|:--|', '| none | Nothing. |', '| unknownFutureValue | Sentinel. |', '',
	'## Relationships', '', '| Relationship | Type | Description |', '|:--|:--|:--|', '| parts | [part](part.md) collection | Read-only. |', '',
	'## JSON representation', '', '<!-- {', '  "blockType": "resource",', '  "optionalProperties": ["state"],', '  "baseType": "microsoft.graph.entity",', '  "openType": true,', '  "@odata.type": "microsoft.graph.widget"', '}-->',
	'```json', '{', '  "id": "String (identifier)",', '  "state": "incoming | established | terminated",', '}', '```', '',
].join('\n');

describe('refreshGraphDocsFixtures.js: resource pages', () => {
	it('reads the title, each property with its types, listed values and required/read-only hints, enum tables, relationships and the JSON representation', () => {
		const page = script.parseResourcePage(PAGE);
		assert.equal(page.name, 'widget');
		assert.equal(page.odataType, 'microsoft.graph.widget');
		assert.equal(page.baseType, 'microsoft.graph.entity');
		assert.equal(page.openType, true);
		assert.deepEqual(page.optionalProperties, ['state']);
		assert.deepEqual(page.properties.map((p) => p.name), ['id', 'mediaConfig', 'targets', 'state', 'reason', 'modalities'], 'the Methods table is not read as properties');
		const by = Object.fromEntries(page.properties.map((p) => [p.name, p]));
		assert.deepEqual([by.id.readOnly, by.id.required, by.id.types], [true, null, ['String']]);
		assert.deepEqual([by.mediaConfig.required, by.mediaConfig.types, by.mediaConfig.type], ['always', ['appHostedMediaConfig', 'serviceHostedMediaConfig'], 'appHostedMediaConfig or serviceHostedMediaConfig']);
		assert.deepEqual([by.targets.required, by.targets.collection, by.targets.types], ['creating peer to peer call', true, ['invitationParticipantInfo']]);
		assert.deepEqual([by.state.values, by.state.readOnly, by.state.types], [['incoming', 'established', 'terminated'], true, ['callState']]);
		assert.deepEqual([by.modalities.collection, by.modalities.types, by.modalities.values], [true, ['modality'], ['audio', 'video']]);
		assert.deepEqual(page.enums, { widgetReason: ['none', 'unknownFutureValue'] });
		assert.deepEqual(page.relationships.map((r) => r.name), ['parts']);
		assert.deepEqual(page.json, { id: 'String (identifier)', state: 'incoming | established | terminated' });
		assert.equal(page.jsonRepaired, 'trailing commas');
	});

	it('the committed fixtures are one per listed page, each with its docs file, a commit, properties and a JSON representation', () => {
		const dir = path.join(root, 'test/fixtures/graph-docs/resources');
		const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => path.basename(f, '.json')).sort();
		assert.deepEqual(files, [...script.RESOURCE_PAGES].sort());
		for (const name of files) {
			const f = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as ResourcePage & { source: { repo: string; path: string; commit: string } };
			assert.equal(f.source.repo, 'microsoftgraph/microsoft-graph-docs-contrib');
			assert.equal(f.source.path.toLowerCase(), `api-reference/v1.0/resources/${name}.md`);
			assert.match(f.source.commit, /^[0-9a-f]{40}$/, `${name}: the docs commit`);
			assert.ok(f.odataType?.startsWith('microsoft.graph.'), `${name}: @odata.type from the annotation`);
			assert.ok(f.json && typeof f.json === 'object', `${name}: JSON representation`);
			assert.ok(f.properties.length > 0, `${name}: properties`);
		}
	});
});
