import { describe, expect, it } from 'vitest';
import { errorText } from './api';

describe('errorText', () => {
  it('shows a Japanese server message as it is', () => {
    expect(errorText(400, 'invalid_input', '生年月日の形式が正しくありません')).toBe('生年月日の形式が正しくありません');
  });
  it('leads with Japanese for the kind and keeps an English server message', () => {
    expect(errorText(404, 'not_found', 'no person 1')).toBe('対象が見つかりません (no person 1)');
  });
  it('falls back on the HTTP status when the body says nothing', () => {
    expect(errorText(502, undefined, undefined)).toBe('システムエラーが発生しました。管理者に連絡してください (HTTP 502)');
    expect(errorText(0, undefined, undefined)).toBe('サーバーに接続できません。ネットワークを確認してください');
  });
});
