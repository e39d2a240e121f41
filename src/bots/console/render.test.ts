import { describe, expect, it } from 'vitest';
import type { Dialog } from '../../core/chat/chat.ts';
import { renderDialog } from './render.ts';

describe('renderDialog (console)', () => {
  it("names each field by its label and lists a choice's options, so a form's field_1 is understandable", () => {
    const dialog: Dialog = {
      callbackId: 'new_ticket',
      title: 'New access request',
      submitLabel: 'File',
      privateValue: 'access',
      inputs: [
        { id: 'title', label: 'Title', optional: true },
        { id: 'description', label: 'Description', multiline: true },
        { id: 'field_1', label: 'System' },
        {
          id: 'field_2',
          label: 'Access level',
          optional: true,
          options: [
            { label: 'read', value: 'read' },
            { label: 'write', value: 'write' },
          ],
        },
      ],
    };
    const text = renderDialog(dialog, 3);
    expect(text).toContain('/form 3 title="…" description="…" field_1="…" field_2="…"');
    expect(text).toContain('field_1 = System');
    expect(text).toContain('field_2? = Access level (read|write)');
    expect(text).not.toContain('title? = Title');
  });
});
