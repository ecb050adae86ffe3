/** Copy as code: one generated snippet per language for any request, never carrying a secret. */
import type { ApiVersionName } from '../../schema/endpoints';
import { toCodeRequest, type GenericRequest } from './codeRequest';
import { csharpCode } from './csharpCode';
import { curlCode } from './curlCode';
import { httpCode } from './httpCode';
import { javascriptCode } from './javascriptCode';
import { powershellCode } from './powershellCode';
import { pythonCode } from './pythonCode';

export type CodeLanguage = 'http' | 'curl' | 'csharp' | 'javascript' | 'powershell' | 'python';

export interface CodeLanguageInfo {
	readonly id: CodeLanguage;
	readonly label: string;
	/** File extension of the golden files and of saved snippets. */
	readonly extension: string;
	/** VS Code language id for an editor showing the code. */
	readonly languageId: string;
}

export const CODE_LANGUAGES: readonly CodeLanguageInfo[] = [
	{ id: 'http', label: 'HTTP', extension: 'http', languageId: 'http' },
	{ id: 'curl', label: 'curl', extension: 'sh', languageId: 'shellscript' },
	{ id: 'csharp', label: 'C# (Microsoft Graph .NET SDK v5)', extension: 'cs', languageId: 'csharp' },
	{ id: 'javascript', label: 'JavaScript (Microsoft Graph JS client)', extension: 'js', languageId: 'javascript' },
	{ id: 'powershell', label: 'PowerShell (Microsoft.Graph cmdlets)', extension: 'ps1', languageId: 'powershell' },
	{ id: 'python', label: 'Python (msgraph-sdk)', extension: 'py', languageId: 'python' },
];

const GENERATORS = { http: httpCode, curl: curlCode, csharp: csharpCode, javascript: javascriptCode, powershell: powershellCode, python: pythonCode } as const;

export function generateCode(language: CodeLanguage, request: GenericRequest, defaultVersion: ApiVersionName = 'v1.0'): string {
	return GENERATORS[language](toCodeRequest(request, defaultVersion));
}

export type { GenericRequest } from './codeRequest';
