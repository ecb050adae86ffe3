import { randomUUID } from 'node:crypto';
import type { RoutingMode } from '@microsoft/microsoft-graph-types';
import type { CallRecord, EmulatedAudioRoutingGroup, RequestBody } from './callModel';
import type { CallTable } from './callTable';
import { badRequest, GraphHttpError } from './http';
import { isOneOf } from './requestChecks';

const ROUTING_MODES: readonly RoutingMode[] = ['oneToOne', 'multicast'];

/** A call's audioRoutingGroups (app-hosted media): which participants hear which source. */
export class AudioRoutingGroups {
	constructor(private readonly table: CallTable) {}

	create(call: CallRecord, body: RequestBody): EmulatedAudioRoutingGroup {
		this.table.actions++;
		this.table.requireState(call, ['established', 'hold'], 'create an audioRoutingGroup');
		const { routingMode, sources, receivers } = body;
		if (!isOneOf(routingMode, ROUTING_MODES)) throw badRequest('routingMode must be oneToOne or multicast.');
		if (!Array.isArray(sources) || sources.length !== 1) throw badRequest('sources must hold exactly one participant id.');
		if (!Array.isArray(receivers) || receivers.length === 0) throw badRequest('receivers must hold at least one participant id.');
		if (routingMode === 'oneToOne' && receivers.length !== 1) throw badRequest('oneToOne routing needs exactly one receiver.');
		// The client may name the group; its id is kept as sent.
		const group: EmulatedAudioRoutingGroup = { '@odata.type': '#microsoft.graph.audioRoutingGroup', id: (body.id as string | undefined) ?? randomUUID(), routingMode, sources, receivers };
		call.audioRoutingGroups.set(String(group.id), group);
		return group;
	}

	get(call: CallRecord, groupId: string): EmulatedAudioRoutingGroup {
		const g = call.audioRoutingGroups.get(groupId);
		if (!g) throw new GraphHttpError(404, 'itemNotFound', `Audio routing group ${groupId} is not known in call ${call.id}.`);
		return g;
	}

	update(call: CallRecord, groupId: string, body: RequestBody): EmulatedAudioRoutingGroup {
		this.table.actions++;
		const g = this.get(call, groupId);
		const { routingMode, sources, receivers } = body;
		if (routingMode !== undefined && !isOneOf(routingMode, ROUTING_MODES)) throw badRequest('routingMode must be oneToOne or multicast.');
		if (receivers !== undefined && (!Array.isArray(receivers) || receivers.length === 0)) throw badRequest('receivers must hold at least one participant id.');
		if (routingMode !== undefined) g.routingMode = routingMode;
		// sources are taken as sent on update, as they always were.
		if (sources !== undefined) g.sources = sources as string[];
		if (receivers !== undefined) g.receivers = receivers;
		return g;
	}

	delete(call: CallRecord, groupId: string): void {
		this.table.actions++;
		this.get(call, groupId);
		call.audioRoutingGroups.delete(groupId);
	}
}
