import * as vscode from 'vscode';
import { CertificateError, readCertificateFile, type ClientCertificate } from '../../core/auth/certificate';
import type { ProfileCredential } from '../../core/auth/credential';
import { validateClientSecret } from '../../core/auth/profileValidation';
import type { TenantProfile } from '../../core/auth/tenantProfile';
import { UserCancelledError, type UserInput } from '../shared/userInput';

/**
 * The same prompts, but a dismissal from any UserInput implementation (a test's scripted input is compiled
 * separately from the bundle) comes out as this bundle's UserCancelledError, which the command wrapper ignores.
 */
export function withLocalCancellation(input: UserInput): UserInput {
	const wrap = <T>(p: Promise<T>): Promise<T> =>
		p.catch((err: unknown) => {
			if (err instanceof Error && err.name === 'UserCancelledError' && !(err instanceof UserCancelledError)) throw new UserCancelledError(err.message.replace(/^Cancelled at: /, ''));
			throw err;
		});
	return {
		showQuickPick: (items, options) => wrap(input.showQuickPick(items, options)),
		showInputBox: (options) => wrap(input.showInputBox(options)),
		showWarningMessage: (message, options, ...items) => wrap(input.showWarningMessage(message, options, ...items)),
		showOpenDialog: (options) => wrap(input.showOpenDialog(options)),
		showSaveDialog: (options) => wrap(input.showSaveDialog(options)),
	};
}

/** Asks for a client secret with the secret-shape checks; the value is masked while typed. */
export async function askClientSecret(input: UserInput, title: string, prompt: string): Promise<string> {
	const value = await input.showInputBox({
		title,
		step: title,
		prompt,
		password: true,
		placeHolder: 'The secret\'s Value from Certificates & secrets',
		validateInput: validateClientSecret,
	});
	const problem = validateClientSecret(value);
	if (problem) throw new Error(problem);
	return value.trim();
}

/**
 * Asks for a PEM with certificate and private key; a file that cannot be used is explained in the next dialog's
 * title, up to three tries, then the last problem is thrown.
 */
export async function askCertificate(input: UserInput, title: string): Promise<{ pem: string; path: string; certificate: ClientCertificate }> {
	let problem: string | undefined;
	for (let attempt = 0; attempt < 3; attempt++) {
		const [uri] = await input.showOpenDialog({
			title: problem ? `${title}: ${problem}` : title,
			openLabel: 'Use Certificate',
			canSelectMany: false,
			canSelectFolders: false,
			filters: { 'PEM with certificate and private key': ['pem', 'crt', 'cer', 'key', 'txt'], 'All files': ['*'] },
		});
		try {
			const { pem, certificate } = await readCertificateFile(uri.fsPath);
			return { pem, path: uri.fsPath, certificate };
		} catch (err) {
			if (!(err instanceof CertificateError)) throw err;
			problem = err.message;
		}
	}
	throw new CertificateError(problem ?? 'No usable certificate was chosen.');
}

/**
 * The credential of a profile whose secret SecretStorage no longer has (or never had, after an import). The
 * profile's kind decides what is asked.
 */
export async function askForMissingCredential(given: UserInput, profile: TenantProfile): Promise<ProfileCredential> {
	const input = withLocalCancellation(given);
	if (profile.credentialKind === 'secret') {
		const clientSecret = await askClientSecret(
			input,
			`Client secret for "${profile.name}"`,
			'VS Code\'s secret storage has no secret for this profile (it was imported, or the secret could not be decrypted). Paste it again; it is kept only in secret storage.',
		);
		return { kind: 'secret', clientSecret };
	}
	const { pem, certificate } = await askCertificate(input, `Certificate PEM for "${profile.name}"`);
	if (profile.certificateThumbprint && certificate.thumbprintSha256 !== profile.certificateThumbprint) {
		void vscode.window.showWarningMessage(`The chosen certificate (thumbprint ${certificate.thumbprintSha1}) differs from the one profile "${profile.name}" was set up with. It is used from now on; make sure it is registered for the app.`);
	}
	return { kind: 'certificate', pem };
}
