/**
 * The local Graph calls emulator. `startEmulator()` is what tests and the CLI use; everything else is exported
 * for tests that need to look inside.
 */
import { Emulator, type EmulatorOptions } from './emulator';
import { EMULATOR_TENANT } from './directory';
import type { FaultConfig } from './faults';
import type { Permission } from '../schema/endpoints';
import type { CallRecord } from './callEngine';
import type { Event } from '../event';
import type { ServedRequest } from './emulator';
import type { DeliveryRecord } from './webhooks';

export { Emulator, type EmulatorOptions, type ServedRequest } from './emulator';
export { EMULATOR_MEETINGS, EMULATOR_PEOPLE, EMULATOR_PHONES, EMULATOR_TENANT, defaultDirectory, type AppRegistration, type Behaviour, type Directory, type DirectoryMeeting, type DirectoryPhone, type DirectoryUser } from './directory';
export { DEFAULT_TIMINGS, type CallKind, type CallState, type EmulatorTimings } from './callEngine';
export { parseFaultSpec, type FaultConfig, type FaultCounters, type FaultRule, type NotificationFaults } from './faults';
export { RESULT } from './resultCodes';
export { loadScenarioFile, validateScenario, type Scenario, type ScenarioEvent } from './scenario';
export { defaultStateDir } from './stateDir';
export { WEBHOOK_ISSUER, type DeliveryRecord } from './webhooks';

/** What `startEmulator()` returns: where everything is, the demo credentials, and controls. */
export interface EmulatorHandle {
	/** https://127.0.0.1:PORT/v1.0 */
	readonly graphBaseUrl: string;
	/** https://127.0.0.1:PORT/beta */
	readonly betaBaseUrl: string;
	/** Graph root without version (a profile's graphHost): https://127.0.0.1:PORT */
	readonly baseUrl: string;
	/** https://127.0.0.1:PORT/TENANT_ID */
	readonly authority: string;
	/** host:port, for msal-node's knownAuthorities. */
	readonly authorityHost: string;
	/** The OIDC document as a string, for msal-node's authorityMetadata (no discovery request needed). */
	readonly authorityMetadata: string;
	readonly tenantId: string;
	readonly clientId: string;
	readonly clientSecret: string;
	/** PEM of the CA to trust for this emulator's HTTPS (and nothing else). */
	readonly caCertPem: string;
	readonly caCertFile: string;
	/** A certificate registered for the app, for certificate credentials (RSA). */
	readonly clientCertificate: { readonly certPem: string; readonly keyPem: string; readonly certFile: string; readonly keyFile: string; readonly thumbprintSha256: string };
	/** https://127.0.0.1:PORT/_emulator */
	readonly controlUrl: string;
	/** Where webhook signing keys are published: https://127.0.0.1:PORT/v1/.well-known/OpenIdConfiguration */
	readonly webhookOpenIdConfigurationUrl: string;
	readonly port: number;
	/** The live emulator, for tests that need more than the shortcuts below. */
	readonly emulator: Emulator;
	setRoles(roles: Permission[], clientId?: string): void;
	setFaults(faults: FaultConfig): void;
	/** Someone calls the bot; returns the new call id. */
	incomingCall(from: { userId?: string; phone?: string }, callbackUri?: string): string;
	/** A participant presses DTMF keys in a call. */
	pressKeys(callId: string, keys: string): void;
	/** `from` invites the bot into a group call with `members`, or into a meeting (its joinMeetingId); returns the call id. */
	incomingGroupCall(from: { userId?: string; phone?: string }, members: { userId?: string; phone?: string }[], meetingJoinId?: string, callbackUri?: string): string;
	/** A recording policy invites the bot into a call of `userId` (with `others`); returns the call id. */
	recordingInvitation(userId: string, others: { userId?: string; phone?: string }[], callbackUri?: string): string;
	/** Every request served (Graph, Entra, control), with its bodies: the traffic a bot's requests make. */
	readonly onDidServe: Event<ServedRequest>;
	/** Every notification POST attempt to a callback, with the receiver's status. */
	readonly onDidDeliver: Event<DeliveryRecord>;
	/** Resolves when every queued webhook has been delivered or given up on. */
	webhooksIdle(): Promise<void>;
	reset(): Promise<void>;
	stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
	const emu = await Emulator.start(options);
	const origin = emu.origin;
	const call = (id: string): CallRecord => emu.engine.get(id);
	return {
		graphBaseUrl: `${origin}/v1.0`,
		betaBaseUrl: `${origin}/beta`,
		baseUrl: origin,
		authority: emu.entra.authority(),
		authorityHost: new URL(origin).host,
		authorityMetadata: JSON.stringify(emu.entra.openIdConfiguration(emu.entra.tenant)),
		tenantId: EMULATOR_TENANT.tenantId,
		clientId: EMULATOR_TENANT.clientId,
		clientSecret: EMULATOR_TENANT.clientSecret,
		caCertPem: emu.tls.caCertPem,
		caCertFile: emu.tls.caCertFile,
		clientCertificate: { certPem: emu.tls.clientCertPem, keyPem: emu.tls.clientKeyPem, certFile: emu.tls.clientCertFile, keyFile: emu.tls.clientKeyFile, thumbprintSha256: emu.tls.clientThumbprintSha256 },
		controlUrl: `${origin}/_emulator`,
		webhookOpenIdConfigurationUrl: `${origin}/v1/.well-known/OpenIdConfiguration`,
		port: emu.listeningPort,
		emulator: emu,
		setRoles: (roles, clientId) => {
			emu.app(clientId ?? EMULATOR_TENANT.clientId).roles = [...roles];
		},
		setFaults: (faults) => emu.setFaults(faults),
		incomingCall: (from, callbackUri) => emu.incomingCall({ from, callbackUri }).id,
		pressKeys: (callId, keys) => void emu.engine.media.pressKeys(call(callId), keys),
		incomingGroupCall: (from, members, meetingJoinId, callbackUri) => {
			const meeting = meetingJoinId === undefined ? undefined : emu.engine.directory.meetings.find((m) => m.joinMeetingId === meetingJoinId);
			if (meetingJoinId !== undefined && !meeting) throw new Error(`No meeting with joinMeetingId ${meetingJoinId} in the directory.`);
			return emu.engine.invitations.groupCall(invitationTarget(emu, callbackUri), from, members, meeting).id;
		},
		recordingInvitation: (userId, others, callbackUri) => emu.engine.invitations.recording(invitationTarget(emu, callbackUri), { userId }, others).id,
		onDidServe: emu.onDidServe,
		onDidDeliver: emu.webhooks.onDidDeliver,
		webhooksIdle: () => emu.webhooks.idle(),
		reset: () => emu.reset(),
		stop: () => emu.stop(),
	};
}

function invitationTarget(emu: Emulator, callbackUri?: string): { appId: string; tenantId: string; callbackUri: string } {
	const uri = callbackUri ?? emu.defaultApp.callingWebhook;
	if (!uri) throw new Error('Nowhere to send the invitation: pass a callback URI or set the app\'s calling webhook.');
	return { appId: emu.defaultApp.clientId, tenantId: EMULATOR_TENANT.tenantId, callbackUri: uri };
}
