"""Export SmolVLM-256M-Instruct's decoder one ONNX file per layer, plus lm_head.onnx, under the
per-layer contract of models/zoo/vlm/real/contract.ts (DyVTE needs to drop image tokens between
layers, which the published decoder_model_merged.onnx cannot do).

    pip install torch transformers onnx
    python export_smolvlm_layers.py OUT_DIR            # writes decoder_layer_{0..29}.onnx, lm_head.onnx

Then put next to them the published vision_encoder.onnx, embed_tokens.onnx (onnx/ folder of the
model repository) and tokenizer.json, and pick the folder's files in the Caption workspace.

Not run by the test suite (no torch and no weights offline); the TypeScript side is tested on a
micro model exported under the same contract (realVlmPath.test.ts).
"""
import math
import sys

import torch
from transformers import AutoModelForVision2Seq
from transformers.models.llama.modeling_llama import apply_rotary_pos_emb, repeat_kv

MODEL = "HuggingFaceTB/SmolVLM-256M-Instruct"


class Layer(torch.nn.Module):
    """hidden_states, position_ids, attention_bias, past_key, past_value -> hidden_states_out, present_key, present_value."""

    def __init__(self, lm, i):
        super().__init__()
        self.layer, self.rotary = lm.layers[i], lm.rotary_emb
        c = lm.config
        self.hd = getattr(c, "head_dim", None) or c.hidden_size // c.num_attention_heads
        self.groups = c.num_attention_heads // c.num_key_value_heads

    def forward(self, hidden_states, position_ids, attention_bias, past_key, past_value):
        a, hd = self.layer.self_attn, self.hd
        b, s, _ = hidden_states.shape
        h = self.layer.input_layernorm(hidden_states)
        q = a.q_proj(h).view(b, s, -1, hd).transpose(1, 2)
        k = a.k_proj(h).view(b, s, -1, hd).transpose(1, 2)
        v = a.v_proj(h).view(b, s, -1, hd).transpose(1, 2)
        # Rotary from the explicit position ids (never from the cache length): kept positions after an exit.
        cos, sin = self.rotary(hidden_states, position_ids)
        q, k = apply_rotary_pos_emb(q, k, cos, sin)
        k = torch.cat([past_key, k], dim=2)
        v = torch.cat([past_value, v], dim=2)
        w = torch.matmul(q, repeat_kv(k, self.groups).transpose(2, 3)) / math.sqrt(hd) + attention_bias
        o = torch.matmul(torch.softmax(w, dim=-1), repeat_kv(v, self.groups))
        o = a.o_proj(o.transpose(1, 2).reshape(b, s, -1))
        x = hidden_states + o
        x = x + self.layer.mlp(self.layer.post_attention_layernorm(x))
        return x, k, v


class Head(torch.nn.Module):
    def __init__(self, lm, lm_head):
        super().__init__()
        self.norm, self.lm_head = lm.norm, lm_head

    def forward(self, hidden_states):
        return self.lm_head(self.norm(hidden_states))


def main(out):
    model = AutoModelForVision2Seq.from_pretrained(MODEL, torch_dtype=torch.float32).eval()
    lm = model.model.text_model
    c = lm.config
    hd = getattr(c, "head_dim", None) or c.hidden_size // c.num_attention_heads
    s, p = 5, 3
    args = (
        torch.randn(1, s, c.hidden_size),
        torch.arange(p, p + s).unsqueeze(0),
        torch.zeros(1, 1, s, p + s),
        torch.randn(1, c.num_key_value_heads, p, hd),
        torch.randn(1, c.num_key_value_heads, p, hd),
    )
    names_in = ["hidden_states", "position_ids", "attention_bias", "past_key", "past_value"]
    names_out = ["hidden_states_out", "present_key", "present_value"]
    axes = {
        "hidden_states": {1: "seq"}, "position_ids": {1: "seq"}, "attention_bias": {2: "seq", 3: "total"},
        "past_key": {2: "past"}, "past_value": {2: "past"}, "hidden_states_out": {1: "seq"},
        "present_key": {2: "total"}, "present_value": {2: "total"},
    }
    with torch.no_grad():
        for i in range(c.num_hidden_layers):
            torch.onnx.export(Layer(lm, i), args, f"{out}/decoder_layer_{i}.onnx", input_names=names_in,
                              output_names=names_out, dynamic_axes=axes, opset_version=17, dynamo=False)
        torch.onnx.export(Head(lm, model.lm_head), (torch.randn(1, s, c.hidden_size),), f"{out}/lm_head.onnx",
                          input_names=["hidden_states"], output_names=["logits"],
                          dynamic_axes={"hidden_states": {1: "seq"}, "logits": {1: "seq"}}, opset_version=17, dynamo=False)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
