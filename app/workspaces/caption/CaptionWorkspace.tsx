import { WorkspacePlaceholder } from '../WorkspacePlaceholder.tsx';

export function CaptionWorkspace() {
  return (
    <WorkspacePlaceholder
      kind="caption"
      method="DyVTE: dynamic visual-token exit in a multimodal language model"
      planned={['Drop an image, get a caption streamed token by token', 'Ask questions about the image', 'Send a caption to a prompt in another workspace']}
    />
  );
}
