"""
The generated functions of qwen3vl's own config classes, precompiled.

Written by `nox -s reference` (`qwen3vl._codegen.prebuilt_module`);
do not edit.  `qwen3vl._codegen` uses an entry only when the source it
generates is exactly the key, so a stale entry is never used.

Strictly private.
"""

# mypy: ignore-errors


def _structure_Qwen3VLConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11, _c12, _c13, _c14, _c15, _c16, _c17, _c18, _c19, _c20, _c21, _c22, _c23, _c24, _c25, _c26, _c27, _c28, _c29, _c30, _c31, _c32, _c33, _c34, _c35, _c36, _c37, _c38, _c39, _c40, _c41, _c42, _c43, _c44, _c45, _c46, _c47, _c48, _c49, _c50, _c51, _c52, _c53, _c54, _c55, _c56, _c57, _c58, _c59, _c60, _c61, _c62, _c63, _c64, _c65, _c66, _c67, _c68, _c69, _c70, _c71, _c72, _c73, _c74, _c75, _c76, _c77, _c78, _c79, _c80, _c81, _c82, _c83, _c84, _c85, _c86, _c87, _c88, _c89, _c90, _c91, _c92, _c93, _c94, _c95, _c96, _c97, _c98, _c99, _c100, _c101, _c102, _c103, _c104, _c105, _c106, _c107, _c108, _c109, _c110, _c111, _c112, _c113, _c114, _c115, _c116, _c117, _c118, _c119, _c120, _c121, _c122, _c123, _c124, _c125, _c126, _c127, _c128, _c129, _c130, _c131, _c132, _c133, _c134, _c135, _c136, _c137, _c138, _c139, _c140, _c141, _c142, _c143, _c144, _c145, _c146, _c147, _c148, _c149, _c150, _c151, _c152, _c153, _c154, _c155, _c156, _c157, _c158):
    def structure(data):
        if data.__class__ is not dict and not _c0(data, _c1):
            _c2(data)
        problems = []
        get = data.get
        v0 = get('config_version', _c3)
        if v0 is _c3:
            v0 = _c4
        elif not (v0.__class__ is int and 1 <= v0 <= 1):
            v0 = _c6(problems, 'config_version', _c5, v0)
        v1 = get('num_hidden_layers', _c3)
        if v1 is _c3:
            v1 = _c7
        elif not (v1.__class__ is int and 1 <= v1 <= 1024):
            v1 = _c6(problems, 'num_hidden_layers', _c8, v1)
        v2 = get('num_attention_heads', _c3)
        if v2 is _c3:
            v2 = _c7
        elif not (v2.__class__ is int and 1 <= v2 <= 1024):
            v2 = _c6(problems, 'num_attention_heads', _c9, v2)
        v3 = get('hidden_size', _c3)
        if v3 is _c3:
            v3 = _c10
        elif not (v3.__class__ is int and 1 <= v3 <= 262144):
            v3 = _c6(problems, 'hidden_size', _c11, v3)
        v4 = get('intermediate_size', _c3)
        if v4 is _c3:
            v4 = _c12
        elif not (v4.__class__ is int and 1 <= v4 <= 1048576):
            v4 = _c6(problems, 'intermediate_size', _c13, v4)
        v5 = get('vocab_size', _c3)
        if v5 is _c3:
            v5 = _c14
        elif not (v5.__class__ is int and 1 <= v5 <= 16777216):
            v5 = _c6(problems, 'vocab_size', _c15, v5)
        v6 = get('max_position_embeddings', _c3)
        if v6 is _c3:
            v6 = _c16
        elif not (v6.__class__ is int and 1 <= v6 <= 67108864):
            v6 = _c6(problems, 'max_position_embeddings', _c17, v6)
        v7 = get('vision_num_hidden_layers', _c3)
        if v7 is _c3:
            v7 = _c18
        elif not (v7.__class__ is int and 1 <= v7 <= 1024):
            v7 = _c6(problems, 'vision_num_hidden_layers', _c19, v7)
        v8 = get('vision_num_attention_heads', _c3)
        if v8 is _c3:
            v8 = _c20
        elif not (v8.__class__ is int and 1 <= v8 <= 1024):
            v8 = _c6(problems, 'vision_num_attention_heads', _c21, v8)
        v9 = get('vision_hidden_size', _c3)
        if v9 is _c3:
            v9 = _c22
        elif not (v9.__class__ is int and 1 <= v9 <= 262144):
            v9 = _c6(problems, 'vision_hidden_size', _c23, v9)
        v10 = get('vision_image_size', _c3)
        if v10 is _c3:
            v10 = _c24
        elif not (v10.__class__ is int and 1 <= v10 <= 65536):
            v10 = _c6(problems, 'vision_image_size', _c25, v10)
        v11 = get('vision_patch_size', _c3)
        if v11 is _c3:
            v11 = _c26
        elif not (v11.__class__ is int and 1 <= v11 <= 65536):
            v11 = _c6(problems, 'vision_patch_size', _c27, v11)
        v12 = get('num_key_value_heads', _c3)
        if v12 is _c3:
            v12 = _c28
        elif not (v12.__class__ is int and 0 <= v12 <= 1024):
            v12 = _c6(problems, 'num_key_value_heads', _c29, v12)
        v13 = get('head_dim', _c3)
        if v13 is _c3:
            v13 = _c30
        elif not (v13.__class__ is int and 1 <= v13 <= 4096):
            v13 = _c6(problems, 'head_dim', _c31, v13)
        v14 = get('hidden_act', _c3)
        if v14 is _c3:
            v14 = _c32
        elif not (v14.__class__ is str and v14 in _c33):
            v14 = _c6(problems, 'hidden_act', _c34, v14)
        v15 = get('rms_norm_eps', _c3)
        if v15 is _c3:
            v15 = _c35
        elif not (v15.__class__ is float and v15 > _c36 and v15 <= _c37 and v15 != 0.0):
            v15 = _c6(problems, 'rms_norm_eps', _c38, v15)
        v16 = get('rope_theta', _c3)
        if v16 is _c3:
            v16 = _c39
        elif not (v16.__class__ is float and v16 > _c36 and v16 <= _c40 and v16 != 0.0):
            v16 = _c6(problems, 'rope_theta', _c41, v16)
        v17 = get('mrope_section', _c3)
        if v17 is _c3:
            v17 = _c42
        else:
            v17 = _c6(problems, 'mrope_section', _c43, v17)
        v18 = get('mrope_interleaved', _c3)
        if v18 is _c3:
            v18 = _c44
        elif not ((v18 is True or v18 is False)):
            v18 = _c6(problems, 'mrope_interleaved', _c45, v18)
        v19 = get('attention_bias', _c3)
        if v19 is _c3:
            v19 = _c46
        elif not ((v19 is True or v19 is False)):
            v19 = _c6(problems, 'attention_bias', _c47, v19)
        v20 = get('tie_word_embeddings', _c3)
        if v20 is _c3:
            v20 = _c46
        elif not ((v20 is True or v20 is False)):
            v20 = _c6(problems, 'tie_word_embeddings', _c48, v20)
        v21 = get('vision_intermediate_size', _c3)
        if v21 is _c3:
            v21 = _c49
        elif not (v21.__class__ is int and 1 <= v21 <= 1048576):
            v21 = _c6(problems, 'vision_intermediate_size', _c50, v21)
        v22 = get('vision_out_hidden_size', _c3)
        if v22 is _c3:
            v22 = _c28
        elif not (v22.__class__ is int and 0 <= v22 <= 262144):
            v22 = _c6(problems, 'vision_out_hidden_size', _c51, v22)
        v23 = get('vision_spatial_merge_size', _c3)
        if v23 is _c3:
            v23 = _c52
        elif not (v23.__class__ is int and 1 <= v23 <= 64):
            v23 = _c6(problems, 'vision_spatial_merge_size', _c53, v23)
        v24 = get('vision_temporal_patch_size', _c3)
        if v24 is _c3:
            v24 = _c52
        elif not (v24.__class__ is int and 1 <= v24 <= 64):
            v24 = _c6(problems, 'vision_temporal_patch_size', _c54, v24)
        v25 = get('vision_in_channels', _c3)
        if v25 is _c3:
            v25 = _c55
        elif not (v25.__class__ is int and 1 <= v25 <= 64):
            v25 = _c6(problems, 'vision_in_channels', _c56, v25)
        v26 = get('vision_num_position_embeddings', _c3)
        if v26 is _c3:
            v26 = _c57
        elif not (v26.__class__ is int and 1 <= v26 <= 1048576):
            v26 = _c6(problems, 'vision_num_position_embeddings', _c58, v26)
        v27 = get('vision_hidden_act', _c3)
        if v27 is _c3:
            v27 = _c59
        elif not (v27.__class__ is str and v27 in _c60):
            v27 = _c6(problems, 'vision_hidden_act', _c61, v27)
        v28 = get('vision_deepstack_visual_indexes', _c3)
        if v28 is _c3:
            v28 = _c62
        else:
            v28 = _c6(problems, 'vision_deepstack_visual_indexes', _c63, v28)
        v29 = get('num_experts', _c3)
        if v29 is _c3:
            v29 = _c28
        elif not (v29.__class__ is int and 0 <= v29 <= 1024):
            v29 = _c6(problems, 'num_experts', _c64, v29)
        v30 = get('num_experts_per_tok', _c3)
        if v30 is _c3:
            v30 = _c28
        elif not (v30.__class__ is int and 0 <= v30 <= 1024):
            v30 = _c6(problems, 'num_experts_per_tok', _c65, v30)
        v31 = get('moe_intermediate_size', _c3)
        if v31 is _c3:
            v31 = _c28
        elif not (v31.__class__ is int and 0 <= v31 <= 1048576):
            v31 = _c6(problems, 'moe_intermediate_size', _c66, v31)
        v32 = get('decoder_sparse_step', _c3)
        if v32 is _c3:
            v32 = _c4
        elif not (v32.__class__ is int and 1 <= v32 <= 1024):
            v32 = _c6(problems, 'decoder_sparse_step', _c67, v32)
        v33 = get('mlp_only_layers', _c3)
        if v33 is _c3:
            v33 = _c68
        else:
            v33 = _c6(problems, 'mlp_only_layers', _c69, v33)
        v34 = get('norm_topk_prob', _c3)
        if v34 is _c3:
            v34 = _c44
        elif not ((v34 is True or v34 is False)):
            v34 = _c6(problems, 'norm_topk_prob', _c70, v34)
        v35 = get('image_token_id', _c3)
        if v35 is _c3:
            v35 = _c71
        elif not (v35.__class__ is int and 0 <= v35 <= 16777215):
            v35 = _c6(problems, 'image_token_id', _c72, v35)
        v36 = get('video_token_id', _c3)
        if v36 is _c3:
            v36 = _c73
        elif not (v36.__class__ is int and 0 <= v36 <= 16777215):
            v36 = _c6(problems, 'video_token_id', _c74, v36)
        v37 = get('vision_start_token_id', _c3)
        if v37 is _c3:
            v37 = _c75
        elif not (v37.__class__ is int and 0 <= v37 <= 16777215):
            v37 = _c6(problems, 'vision_start_token_id', _c76, v37)
        v38 = get('vision_end_token_id', _c3)
        if v38 is _c3:
            v38 = _c77
        elif not (v38.__class__ is int and 0 <= v38 <= 16777215):
            v38 = _c6(problems, 'vision_end_token_id', _c78, v38)
        v39 = get('optimization_level', _c3)
        if v39 is _c3:
            v39 = _c79
        elif not (v39.__class__ is str and v39 in _c80):
            v39 = _c6(problems, 'optimization_level', _c81, v39)
        v40 = get('hardware_target', _c3)
        if v40 is _c3:
            v40 = _c82
        elif not (v40.__class__ is str and _c83(v40) is not None):
            v40 = _c6(problems, 'hardware_target', _c84, v40)
        v41 = get('preserve_full_capacity', _c3)
        if v41 is _c3:
            v41 = _c44
        elif not ((v41 is True or v41 is False)):
            v41 = _c6(problems, 'preserve_full_capacity', _c85, v41)
        v42 = get('memory_config', _c3)
        if v42 is _c3:
            v42 = _c86()
        else:
            v42 = _c88(problems, 'memory_config', _c87, v42)
        v43 = get('cpu_config', _c3)
        if v43 is _c3:
            v43 = _c89()
        else:
            v43 = _c88(problems, 'cpu_config', _c90, v43)
        v44 = get('gpu_config', _c3)
        if v44 is _c3:
            v44 = _c91()
        else:
            v44 = _c88(problems, 'gpu_config', _c92, v44)
        v45 = get('power_management_config', _c3)
        if v45 is _c3:
            v45 = _c93()
        else:
            v45 = _c88(problems, 'power_management_config', _c94, v45)
        v46 = get('optimization_config', _c3)
        if v46 is _c3:
            v46 = _c95()
        else:
            v46 = _c88(problems, 'optimization_config', _c96, v46)
        if problems or not _c97.issuperset(data) or not _c98.issuperset(map(type, data)):
            _c99(_c100, problems, data, {'config_version': v0, 'num_hidden_layers': v1, 'num_attention_heads': v2, 'hidden_size': v3, 'intermediate_size': v4, 'vocab_size': v5, 'max_position_embeddings': v6, 'vision_num_hidden_layers': v7, 'vision_num_attention_heads': v8, 'vision_hidden_size': v9, 'vision_image_size': v10, 'vision_patch_size': v11, 'num_key_value_heads': v12, 'head_dim': v13, 'hidden_act': v14, 'rms_norm_eps': v15, 'rope_theta': v16, 'mrope_section': v17, 'mrope_interleaved': v18, 'attention_bias': v19, 'tie_word_embeddings': v20, 'vision_intermediate_size': v21, 'vision_out_hidden_size': v22, 'vision_spatial_merge_size': v23, 'vision_temporal_patch_size': v24, 'vision_in_channels': v25, 'vision_num_position_embeddings': v26, 'vision_hidden_act': v27, 'vision_deepstack_visual_indexes': v28, 'num_experts': v29, 'num_experts_per_tok': v30, 'moe_intermediate_size': v31, 'decoder_sparse_step': v32, 'mlp_only_layers': v33, 'norm_topk_prob': v34, 'image_token_id': v35, 'video_token_id': v36, 'vision_start_token_id': v37, 'vision_end_token_id': v38, 'optimization_level': v39, 'hardware_target': v40, 'preserve_full_capacity': v41, 'memory_config': v42, 'cpu_config': v43, 'gpu_config': v44, 'power_management_config': v45, 'optimization_config': v46})
        values = {'config_version': v0, 'num_hidden_layers': v1, 'num_attention_heads': v2, 'hidden_size': v3, 'intermediate_size': v4, 'vocab_size': v5, 'max_position_embeddings': v6, 'vision_num_hidden_layers': v7, 'vision_num_attention_heads': v8, 'vision_hidden_size': v9, 'vision_image_size': v10, 'vision_patch_size': v11, 'num_key_value_heads': v12, 'head_dim': v13, 'hidden_act': v14, 'rms_norm_eps': v15, 'rope_theta': v16, 'mrope_section': v17, 'mrope_interleaved': v18, 'attention_bias': v19, 'tie_word_embeddings': v20, 'vision_intermediate_size': v21, 'vision_out_hidden_size': v22, 'vision_spatial_merge_size': v23, 'vision_temporal_patch_size': v24, 'vision_in_channels': v25, 'vision_num_position_embeddings': v26, 'vision_hidden_act': v27, 'vision_deepstack_visual_indexes': v28, 'num_experts': v29, 'num_experts_per_tok': v30, 'moe_intermediate_size': v31, 'decoder_sparse_step': v32, 'mlp_only_layers': v33, 'norm_topk_prob': v34, 'image_token_id': v35, 'video_token_id': v36, 'vision_start_token_id': v37, 'vision_end_token_id': v38, 'optimization_level': v39, 'hardware_target': v40, 'preserve_full_capacity': v41, 'memory_config': v42, 'cpu_config': v43, 'gpu_config': v44, 'power_management_config': v45, 'optimization_config': v46}
        problems = [*_c101(values), *_c102(values), *_c103(values), *_c104(values), *_c105(values), *_c106(values), *_c107(values), *_c108(values), *_c109(values)]
        if problems:
            raise _c110(problems)
        obj = _c111(_c100)
        _c112(obj, v0)
        _c113(obj, v1)
        _c114(obj, v2)
        _c115(obj, v3)
        _c116(obj, v4)
        _c117(obj, v5)
        _c118(obj, v6)
        _c119(obj, v7)
        _c120(obj, v8)
        _c121(obj, v9)
        _c122(obj, v10)
        _c123(obj, v11)
        _c124(obj, v12)
        _c125(obj, v13)
        _c126(obj, v14)
        _c127(obj, v15)
        _c128(obj, v16)
        _c129(obj, v17)
        _c130(obj, v18)
        _c131(obj, v19)
        _c132(obj, v20)
        _c133(obj, v21)
        _c134(obj, v22)
        _c135(obj, v23)
        _c136(obj, v24)
        _c137(obj, v25)
        _c138(obj, v26)
        _c139(obj, v27)
        _c140(obj, v28)
        _c141(obj, v29)
        _c142(obj, v30)
        _c143(obj, v31)
        _c144(obj, v32)
        _c145(obj, v33)
        _c146(obj, v34)
        _c147(obj, v35)
        _c148(obj, v36)
        _c149(obj, v37)
        _c150(obj, v38)
        _c151(obj, v39)
        _c152(obj, v40)
        _c153(obj, v41)
        _c154(obj, v42)
        _c155(obj, v43)
        _c156(obj, v44)
        _c157(obj, v45)
        _c158(obj, v46)
        return obj
    return structure

def _check_Qwen3VLConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11, _c12, _c13, _c14, _c15, _c16, _c17, _c18, _c19, _c20, _c21, _c22, _c23, _c24, _c25, _c26, _c27, _c28, _c29, _c30, _c31, _c32, _c33, _c34, _c35, _c36, _c37, _c38, _c39, _c40, _c41, _c42, _c43, _c44, _c45, _c46, _c47, _c48, _c49, _c50, _c51, _c52, _c53, _c54, _c55, _c56, _c57):
    def check(obj):
        problems = []
        v0 = obj.config_version
        if not (v0.__class__ is int and 1 <= v0 <= 1):
            v0 = _c1(problems, 'config_version', _c0, v0)
        v1 = obj.num_hidden_layers
        if not (v1.__class__ is int and 1 <= v1 <= 1024):
            v1 = _c1(problems, 'num_hidden_layers', _c2, v1)
        v2 = obj.num_attention_heads
        if not (v2.__class__ is int and 1 <= v2 <= 1024):
            v2 = _c1(problems, 'num_attention_heads', _c3, v2)
        v3 = obj.hidden_size
        if not (v3.__class__ is int and 1 <= v3 <= 262144):
            v3 = _c1(problems, 'hidden_size', _c4, v3)
        v4 = obj.intermediate_size
        if not (v4.__class__ is int and 1 <= v4 <= 1048576):
            v4 = _c1(problems, 'intermediate_size', _c5, v4)
        v5 = obj.vocab_size
        if not (v5.__class__ is int and 1 <= v5 <= 16777216):
            v5 = _c1(problems, 'vocab_size', _c6, v5)
        v6 = obj.max_position_embeddings
        if not (v6.__class__ is int and 1 <= v6 <= 67108864):
            v6 = _c1(problems, 'max_position_embeddings', _c7, v6)
        v7 = obj.vision_num_hidden_layers
        if not (v7.__class__ is int and 1 <= v7 <= 1024):
            v7 = _c1(problems, 'vision_num_hidden_layers', _c8, v7)
        v8 = obj.vision_num_attention_heads
        if not (v8.__class__ is int and 1 <= v8 <= 1024):
            v8 = _c1(problems, 'vision_num_attention_heads', _c9, v8)
        v9 = obj.vision_hidden_size
        if not (v9.__class__ is int and 1 <= v9 <= 262144):
            v9 = _c1(problems, 'vision_hidden_size', _c10, v9)
        v10 = obj.vision_image_size
        if not (v10.__class__ is int and 1 <= v10 <= 65536):
            v10 = _c1(problems, 'vision_image_size', _c11, v10)
        v11 = obj.vision_patch_size
        if not (v11.__class__ is int and 1 <= v11 <= 65536):
            v11 = _c1(problems, 'vision_patch_size', _c12, v11)
        v12 = obj.num_key_value_heads
        if not (v12.__class__ is int and 0 <= v12 <= 1024):
            v12 = _c1(problems, 'num_key_value_heads', _c13, v12)
        v13 = obj.head_dim
        if not (v13.__class__ is int and 1 <= v13 <= 4096):
            v13 = _c1(problems, 'head_dim', _c14, v13)
        v14 = obj.hidden_act
        if not (v14.__class__ is str and v14 in _c15):
            v14 = _c1(problems, 'hidden_act', _c16, v14)
        v15 = obj.rms_norm_eps
        if not (v15.__class__ is float and v15 > _c17 and v15 <= _c18):
            v15 = _c1(problems, 'rms_norm_eps', _c19, v15)
        v16 = obj.rope_theta
        if not (v16.__class__ is float and v16 > _c17 and v16 <= _c20):
            v16 = _c1(problems, 'rope_theta', _c21, v16)
        v17 = obj.mrope_section
        v17 = _c1(problems, 'mrope_section', _c22, v17)
        v18 = obj.mrope_interleaved
        if not ((v18 is True or v18 is False)):
            v18 = _c1(problems, 'mrope_interleaved', _c23, v18)
        v19 = obj.attention_bias
        if not ((v19 is True or v19 is False)):
            v19 = _c1(problems, 'attention_bias', _c24, v19)
        v20 = obj.tie_word_embeddings
        if not ((v20 is True or v20 is False)):
            v20 = _c1(problems, 'tie_word_embeddings', _c25, v20)
        v21 = obj.vision_intermediate_size
        if not (v21.__class__ is int and 1 <= v21 <= 1048576):
            v21 = _c1(problems, 'vision_intermediate_size', _c26, v21)
        v22 = obj.vision_out_hidden_size
        if not (v22.__class__ is int and 0 <= v22 <= 262144):
            v22 = _c1(problems, 'vision_out_hidden_size', _c27, v22)
        v23 = obj.vision_spatial_merge_size
        if not (v23.__class__ is int and 1 <= v23 <= 64):
            v23 = _c1(problems, 'vision_spatial_merge_size', _c28, v23)
        v24 = obj.vision_temporal_patch_size
        if not (v24.__class__ is int and 1 <= v24 <= 64):
            v24 = _c1(problems, 'vision_temporal_patch_size', _c29, v24)
        v25 = obj.vision_in_channels
        if not (v25.__class__ is int and 1 <= v25 <= 64):
            v25 = _c1(problems, 'vision_in_channels', _c30, v25)
        v26 = obj.vision_num_position_embeddings
        if not (v26.__class__ is int and 1 <= v26 <= 1048576):
            v26 = _c1(problems, 'vision_num_position_embeddings', _c31, v26)
        v27 = obj.vision_hidden_act
        if not (v27.__class__ is str and v27 in _c32):
            v27 = _c1(problems, 'vision_hidden_act', _c33, v27)
        v28 = obj.vision_deepstack_visual_indexes
        v28 = _c1(problems, 'vision_deepstack_visual_indexes', _c34, v28)
        v29 = obj.num_experts
        if not (v29.__class__ is int and 0 <= v29 <= 1024):
            v29 = _c1(problems, 'num_experts', _c35, v29)
        v30 = obj.num_experts_per_tok
        if not (v30.__class__ is int and 0 <= v30 <= 1024):
            v30 = _c1(problems, 'num_experts_per_tok', _c36, v30)
        v31 = obj.moe_intermediate_size
        if not (v31.__class__ is int and 0 <= v31 <= 1048576):
            v31 = _c1(problems, 'moe_intermediate_size', _c37, v31)
        v32 = obj.decoder_sparse_step
        if not (v32.__class__ is int and 1 <= v32 <= 1024):
            v32 = _c1(problems, 'decoder_sparse_step', _c38, v32)
        v33 = obj.mlp_only_layers
        v33 = _c1(problems, 'mlp_only_layers', _c39, v33)
        v34 = obj.norm_topk_prob
        if not ((v34 is True or v34 is False)):
            v34 = _c1(problems, 'norm_topk_prob', _c40, v34)
        v35 = obj.image_token_id
        if not (v35.__class__ is int and 0 <= v35 <= 16777215):
            v35 = _c1(problems, 'image_token_id', _c41, v35)
        v36 = obj.video_token_id
        if not (v36.__class__ is int and 0 <= v36 <= 16777215):
            v36 = _c1(problems, 'video_token_id', _c42, v36)
        v37 = obj.vision_start_token_id
        if not (v37.__class__ is int and 0 <= v37 <= 16777215):
            v37 = _c1(problems, 'vision_start_token_id', _c43, v37)
        v38 = obj.vision_end_token_id
        if not (v38.__class__ is int and 0 <= v38 <= 16777215):
            v38 = _c1(problems, 'vision_end_token_id', _c44, v38)
        v39 = obj.optimization_level
        if not (v39.__class__ is str and v39 in _c45):
            v39 = _c1(problems, 'optimization_level', _c46, v39)
        v40 = obj.hardware_target
        if not (v40.__class__ is str and _c47(v40) is not None):
            v40 = _c1(problems, 'hardware_target', _c48, v40)
        v41 = obj.preserve_full_capacity
        if not ((v41 is True or v41 is False)):
            v41 = _c1(problems, 'preserve_full_capacity', _c49, v41)
        v42 = obj.memory_config
        if v42.__class__ is not _c50:
            v42 = _c51(problems, 'memory_config', _c50, v42)
        v43 = obj.cpu_config
        if v43.__class__ is not _c52:
            v43 = _c51(problems, 'cpu_config', _c52, v43)
        v44 = obj.gpu_config
        if v44.__class__ is not _c53:
            v44 = _c51(problems, 'gpu_config', _c53, v44)
        v45 = obj.power_management_config
        if v45.__class__ is not _c54:
            v45 = _c51(problems, 'power_management_config', _c54, v45)
        v46 = obj.optimization_config
        if v46.__class__ is not _c55:
            v46 = _c51(problems, 'optimization_config', _c55, v46)
        _c56(_c57, {'config_version': v0, 'num_hidden_layers': v1, 'num_attention_heads': v2, 'hidden_size': v3, 'intermediate_size': v4, 'vocab_size': v5, 'max_position_embeddings': v6, 'vision_num_hidden_layers': v7, 'vision_num_attention_heads': v8, 'vision_hidden_size': v9, 'vision_image_size': v10, 'vision_patch_size': v11, 'num_key_value_heads': v12, 'head_dim': v13, 'hidden_act': v14, 'rms_norm_eps': v15, 'rope_theta': v16, 'mrope_section': v17, 'mrope_interleaved': v18, 'attention_bias': v19, 'tie_word_embeddings': v20, 'vision_intermediate_size': v21, 'vision_out_hidden_size': v22, 'vision_spatial_merge_size': v23, 'vision_temporal_patch_size': v24, 'vision_in_channels': v25, 'vision_num_position_embeddings': v26, 'vision_hidden_act': v27, 'vision_deepstack_visual_indexes': v28, 'num_experts': v29, 'num_experts_per_tok': v30, 'moe_intermediate_size': v31, 'decoder_sparse_step': v32, 'mlp_only_layers': v33, 'norm_topk_prob': v34, 'image_token_id': v35, 'video_token_id': v36, 'vision_start_token_id': v37, 'vision_end_token_id': v38, 'optimization_level': v39, 'hardware_target': v40, 'preserve_full_capacity': v41, 'memory_config': v42, 'cpu_config': v43, 'gpu_config': v44, 'power_management_config': v45, 'optimization_config': v46}, problems)
        return problems
    return check

def _replace_Qwen3VLConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11, _c12, _c13, _c14, _c15, _c16, _c17, _c18, _c19, _c20, _c21, _c22, _c23, _c24, _c25, _c26, _c27, _c28, _c29, _c30, _c31, _c32, _c33, _c34, _c35, _c36, _c37, _c38, _c39, _c40, _c41, _c42, _c43, _c44, _c45, _c46, _c47, _c48, _c49):
    def replace(obj, changes):
        new = _c0(_c1)
        _c2(new, obj.config_version)
        _c3(new, obj.num_hidden_layers)
        _c4(new, obj.num_attention_heads)
        _c5(new, obj.hidden_size)
        _c6(new, obj.intermediate_size)
        _c7(new, obj.vocab_size)
        _c8(new, obj.max_position_embeddings)
        _c9(new, obj.vision_num_hidden_layers)
        _c10(new, obj.vision_num_attention_heads)
        _c11(new, obj.vision_hidden_size)
        _c12(new, obj.vision_image_size)
        _c13(new, obj.vision_patch_size)
        _c14(new, obj.num_key_value_heads)
        _c15(new, obj.head_dim)
        _c16(new, obj.hidden_act)
        _c17(new, obj.rms_norm_eps)
        _c18(new, obj.rope_theta)
        _c19(new, obj.mrope_section)
        _c20(new, obj.mrope_interleaved)
        _c21(new, obj.attention_bias)
        _c22(new, obj.tie_word_embeddings)
        _c23(new, obj.vision_intermediate_size)
        _c24(new, obj.vision_out_hidden_size)
        _c25(new, obj.vision_spatial_merge_size)
        _c26(new, obj.vision_temporal_patch_size)
        _c27(new, obj.vision_in_channels)
        _c28(new, obj.vision_num_position_embeddings)
        _c29(new, obj.vision_hidden_act)
        _c30(new, obj.vision_deepstack_visual_indexes)
        _c31(new, obj.num_experts)
        _c32(new, obj.num_experts_per_tok)
        _c33(new, obj.moe_intermediate_size)
        _c34(new, obj.decoder_sparse_step)
        _c35(new, obj.mlp_only_layers)
        _c36(new, obj.norm_topk_prob)
        _c37(new, obj.image_token_id)
        _c38(new, obj.video_token_id)
        _c39(new, obj.vision_start_token_id)
        _c40(new, obj.vision_end_token_id)
        _c41(new, obj.optimization_level)
        _c42(new, obj.hardware_target)
        _c43(new, obj.preserve_full_capacity)
        _c44(new, obj.memory_config)
        _c45(new, obj.cpu_config)
        _c46(new, obj.gpu_config)
        _c47(new, obj.power_management_config)
        _c48(new, obj.optimization_config)
        for name, value in changes.items():
            _c49(new, name, value)
        return new
    return replace

def _structure_MemoryConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11, _c12, _c13, _c14, _c15, _c16, _c17, _c18, _c19, _c20, _c21, _c22, _c23, _c24, _c25, _c26, _c27, _c28, _c29, _c30, _c31, _c32, _c33, _c34, _c35, _c36, _c37, _c38, _c39, _c40, _c41):
    def structure(data):
        if data.__class__ is not dict and not _c0(data, _c1):
            _c2(data)
        problems = []
        get = data.get
        v0 = get('memory_pool_size', _c3)
        if v0 is _c3:
            v0 = _c4
        elif not (v0.__class__ is int and 0 <= v0 <= 1125899906842624):
            v0 = _c6(problems, 'memory_pool_size', _c5, v0)
        v1 = get('enable_memory_tiering', _c3)
        if v1 is _c3:
            v1 = _c7
        elif not ((v1 is True or v1 is False)):
            v1 = _c6(problems, 'enable_memory_tiering', _c8, v1)
        v2 = get('gpu_memory_size', _c3)
        if v2 is _c3:
            v2 = _c9
        elif not (v2.__class__ is int and 0 <= v2 <= 1125899906842624):
            v2 = _c6(problems, 'gpu_memory_size', _c10, v2)
        v3 = get('cpu_memory_size', _c3)
        if v3 is _c3:
            v3 = _c11
        elif not (v3.__class__ is int and 1 <= v3 <= 1125899906842624):
            v3 = _c6(problems, 'cpu_memory_size', _c12, v3)
        v4 = get('ssd_memory_size', _c3)
        if v4 is _c3:
            v4 = _c13
        elif not (v4.__class__ is int and 1 <= v4 <= 1125899906842624):
            v4 = _c6(problems, 'ssd_memory_size', _c14, v4)
        v5 = get('enable_memory_compression', _c3)
        if v5 is _c3:
            v5 = _c7
        elif not ((v5 is True or v5 is False)):
            v5 = _c6(problems, 'enable_memory_compression', _c15, v5)
        v6 = get('compression_level', _c3)
        if v6 is _c3:
            v6 = _c16
        elif not (v6.__class__ is str and v6 in _c17):
            v6 = _c6(problems, 'compression_level', _c18, v6)
        v7 = get('enable_memory_swapping', _c3)
        if v7 is _c3:
            v7 = _c7
        elif not ((v7 is True or v7 is False)):
            v7 = _c6(problems, 'enable_memory_swapping', _c19, v7)
        v8 = get('swap_threshold', _c3)
        if v8 is _c3:
            v8 = _c20
        elif not (v8.__class__ is float and v8 > _c21 and v8 <= _c22 and v8 != 0.0):
            v8 = _c6(problems, 'swap_threshold', _c23, v8)
        v9 = get('enable_memory_defragmentation', _c3)
        if v9 is _c3:
            v9 = _c7
        elif not ((v9 is True or v9 is False)):
            v9 = _c6(problems, 'enable_memory_defragmentation', _c24, v9)
        if problems or not _c25.issuperset(data) or not _c26.issuperset(map(type, data)):
            _c27(_c28, problems, data, {'memory_pool_size': v0, 'enable_memory_tiering': v1, 'gpu_memory_size': v2, 'cpu_memory_size': v3, 'ssd_memory_size': v4, 'enable_memory_compression': v5, 'compression_level': v6, 'enable_memory_swapping': v7, 'swap_threshold': v8, 'enable_memory_defragmentation': v9})
        values = {'memory_pool_size': v0, 'enable_memory_tiering': v1, 'gpu_memory_size': v2, 'cpu_memory_size': v3, 'ssd_memory_size': v4, 'enable_memory_compression': v5, 'compression_level': v6, 'enable_memory_swapping': v7, 'swap_threshold': v8, 'enable_memory_defragmentation': v9}
        problems = [*_c29(values)]
        if problems:
            raise _c30(problems)
        obj = _c31(_c28)
        _c32(obj, v0)
        _c33(obj, v1)
        _c34(obj, v2)
        _c35(obj, v3)
        _c36(obj, v4)
        _c37(obj, v5)
        _c38(obj, v6)
        _c39(obj, v7)
        _c40(obj, v8)
        _c41(obj, v9)
        return obj
    return structure

def _check_MemoryConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11, _c12, _c13, _c14, _c15):
    def check(obj):
        problems = []
        v0 = obj.memory_pool_size
        if not (v0.__class__ is int and 0 <= v0 <= 1125899906842624):
            v0 = _c1(problems, 'memory_pool_size', _c0, v0)
        v1 = obj.enable_memory_tiering
        if not ((v1 is True or v1 is False)):
            v1 = _c1(problems, 'enable_memory_tiering', _c2, v1)
        v2 = obj.gpu_memory_size
        if not (v2.__class__ is int and 0 <= v2 <= 1125899906842624):
            v2 = _c1(problems, 'gpu_memory_size', _c3, v2)
        v3 = obj.cpu_memory_size
        if not (v3.__class__ is int and 1 <= v3 <= 1125899906842624):
            v3 = _c1(problems, 'cpu_memory_size', _c4, v3)
        v4 = obj.ssd_memory_size
        if not (v4.__class__ is int and 1 <= v4 <= 1125899906842624):
            v4 = _c1(problems, 'ssd_memory_size', _c5, v4)
        v5 = obj.enable_memory_compression
        if not ((v5 is True or v5 is False)):
            v5 = _c1(problems, 'enable_memory_compression', _c6, v5)
        v6 = obj.compression_level
        if not (v6.__class__ is str and v6 in _c7):
            v6 = _c1(problems, 'compression_level', _c8, v6)
        v7 = obj.enable_memory_swapping
        if not ((v7 is True or v7 is False)):
            v7 = _c1(problems, 'enable_memory_swapping', _c9, v7)
        v8 = obj.swap_threshold
        if not (v8.__class__ is float and v8 > _c10 and v8 <= _c11):
            v8 = _c1(problems, 'swap_threshold', _c12, v8)
        v9 = obj.enable_memory_defragmentation
        if not ((v9 is True or v9 is False)):
            v9 = _c1(problems, 'enable_memory_defragmentation', _c13, v9)
        _c14(_c15, {'memory_pool_size': v0, 'enable_memory_tiering': v1, 'gpu_memory_size': v2, 'cpu_memory_size': v3, 'ssd_memory_size': v4, 'enable_memory_compression': v5, 'compression_level': v6, 'enable_memory_swapping': v7, 'swap_threshold': v8, 'enable_memory_defragmentation': v9}, problems)
        return problems
    return check

def _replace_MemoryConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11, _c12):
    def replace(obj, changes):
        new = _c0(_c1)
        _c2(new, obj.memory_pool_size)
        _c3(new, obj.enable_memory_tiering)
        _c4(new, obj.gpu_memory_size)
        _c5(new, obj.cpu_memory_size)
        _c6(new, obj.ssd_memory_size)
        _c7(new, obj.enable_memory_compression)
        _c8(new, obj.compression_level)
        _c9(new, obj.enable_memory_swapping)
        _c10(new, obj.swap_threshold)
        _c11(new, obj.enable_memory_defragmentation)
        for name, value in changes.items():
            _c12(new, name, value)
        return new
    return replace

def _structure_CPUConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11, _c12, _c13, _c14, _c15, _c16, _c17, _c18, _c19, _c20, _c21, _c22, _c23, _c24, _c25, _c26, _c27, _c28, _c29, _c30, _c31, _c32, _c33, _c34, _c35, _c36):
    def structure(data):
        if data.__class__ is not dict and not _c0(data, _c1):
            _c2(data)
        problems = []
        get = data.get
        v0 = get('num_threads', _c3)
        if v0 is _c3:
            v0 = _c4
        elif not (v0.__class__ is int and 1 <= v0 <= 4096):
            v0 = _c6(problems, 'num_threads', _c5, v0)
        v1 = get('num_workers', _c3)
        if v1 is _c3:
            v1 = _c4
        elif not (v1.__class__ is int and 0 <= v1 <= 4096):
            v1 = _c6(problems, 'num_workers', _c7, v1)
        v2 = get('l1_cache_size', _c3)
        if v2 is _c3:
            v2 = _c8
        elif not (v2.__class__ is int and 1 <= v2 <= 1073741824):
            v2 = _c6(problems, 'l1_cache_size', _c9, v2)
        v3 = get('l2_cache_size', _c3)
        if v3 is _c3:
            v3 = _c10
        elif not (v3.__class__ is int and 1 <= v3 <= 1073741824):
            v3 = _c6(problems, 'l2_cache_size', _c11, v3)
        v4 = get('l3_cache_size', _c3)
        if v4 is _c3:
            v4 = _c12
        elif not (v4.__class__ is int and 1 <= v4 <= 1073741824):
            v4 = _c6(problems, 'l3_cache_size', _c13, v4)
        v5 = get('enable_cpu_optimizations', _c3)
        if v5 is _c3:
            v5 = _c14
        elif not ((v5 is True or v5 is False)):
            v5 = _c6(problems, 'enable_cpu_optimizations', _c15, v5)
        v6 = get('use_hyperthreading', _c3)
        if v6 is _c3:
            v6 = _c14
        elif not ((v6 is True or v6 is False)):
            v6 = _c6(problems, 'use_hyperthreading', _c16, v6)
        v7 = get('enable_simd_optimizations', _c3)
        if v7 is _c3:
            v7 = _c14
        elif not ((v7 is True or v7 is False)):
            v7 = _c6(problems, 'enable_simd_optimizations', _c17, v7)
        v8 = get('simd_instruction_set', _c3)
        if v8 is _c3:
            v8 = _c18
        elif not (v8.__class__ is str and v8 in _c19):
            v8 = _c6(problems, 'simd_instruction_set', _c20, v8)
        if problems or not _c21.issuperset(data) or not _c22.issuperset(map(type, data)):
            _c23(_c24, problems, data, {'num_threads': v0, 'num_workers': v1, 'l1_cache_size': v2, 'l2_cache_size': v3, 'l3_cache_size': v4, 'enable_cpu_optimizations': v5, 'use_hyperthreading': v6, 'enable_simd_optimizations': v7, 'simd_instruction_set': v8})
        values = {'num_threads': v0, 'num_workers': v1, 'l1_cache_size': v2, 'l2_cache_size': v3, 'l3_cache_size': v4, 'enable_cpu_optimizations': v5, 'use_hyperthreading': v6, 'enable_simd_optimizations': v7, 'simd_instruction_set': v8}
        problems = [*_c25(values)]
        if problems:
            raise _c26(problems)
        obj = _c27(_c24)
        _c28(obj, v0)
        _c29(obj, v1)
        _c30(obj, v2)
        _c31(obj, v3)
        _c32(obj, v4)
        _c33(obj, v5)
        _c34(obj, v6)
        _c35(obj, v7)
        _c36(obj, v8)
        return obj
    return structure

def _check_CPUConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11, _c12):
    def check(obj):
        problems = []
        v0 = obj.num_threads
        if not (v0.__class__ is int and 1 <= v0 <= 4096):
            v0 = _c1(problems, 'num_threads', _c0, v0)
        v1 = obj.num_workers
        if not (v1.__class__ is int and 0 <= v1 <= 4096):
            v1 = _c1(problems, 'num_workers', _c2, v1)
        v2 = obj.l1_cache_size
        if not (v2.__class__ is int and 1 <= v2 <= 1073741824):
            v2 = _c1(problems, 'l1_cache_size', _c3, v2)
        v3 = obj.l2_cache_size
        if not (v3.__class__ is int and 1 <= v3 <= 1073741824):
            v3 = _c1(problems, 'l2_cache_size', _c4, v3)
        v4 = obj.l3_cache_size
        if not (v4.__class__ is int and 1 <= v4 <= 1073741824):
            v4 = _c1(problems, 'l3_cache_size', _c5, v4)
        v5 = obj.enable_cpu_optimizations
        if not ((v5 is True or v5 is False)):
            v5 = _c1(problems, 'enable_cpu_optimizations', _c6, v5)
        v6 = obj.use_hyperthreading
        if not ((v6 is True or v6 is False)):
            v6 = _c1(problems, 'use_hyperthreading', _c7, v6)
        v7 = obj.enable_simd_optimizations
        if not ((v7 is True or v7 is False)):
            v7 = _c1(problems, 'enable_simd_optimizations', _c8, v7)
        v8 = obj.simd_instruction_set
        if not (v8.__class__ is str and v8 in _c9):
            v8 = _c1(problems, 'simd_instruction_set', _c10, v8)
        _c11(_c12, {'num_threads': v0, 'num_workers': v1, 'l1_cache_size': v2, 'l2_cache_size': v3, 'l3_cache_size': v4, 'enable_cpu_optimizations': v5, 'use_hyperthreading': v6, 'enable_simd_optimizations': v7, 'simd_instruction_set': v8}, problems)
        return problems
    return check

def _replace_CPUConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11):
    def replace(obj, changes):
        new = _c0(_c1)
        _c2(new, obj.num_threads)
        _c3(new, obj.num_workers)
        _c4(new, obj.l1_cache_size)
        _c5(new, obj.l2_cache_size)
        _c6(new, obj.l3_cache_size)
        _c7(new, obj.enable_cpu_optimizations)
        _c8(new, obj.use_hyperthreading)
        _c9(new, obj.enable_simd_optimizations)
        _c10(new, obj.simd_instruction_set)
        for name, value in changes.items():
            _c11(new, name, value)
        return new
    return replace

def _structure_GPUConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11, _c12, _c13, _c14, _c15, _c16, _c17, _c18, _c19, _c20, _c21, _c22, _c23, _c24, _c25, _c26, _c27, _c28, _c29, _c30, _c31, _c32, _c33, _c34):
    def structure(data):
        if data.__class__ is not dict and not _c0(data, _c1):
            _c2(data)
        problems = []
        get = data.get
        v0 = get('gpu_compute_capability', _c3)
        if v0 is _c3:
            v0 = _c4
        elif not (v0.__class__ is tuple and len(v0) == 2 and v0[0].__class__ is int and v0[1].__class__ is int and 1 <= v0[0] <= 15 and 0 <= v0[1] <= 9):
            v0 = _c6(problems, 'gpu_compute_capability', _c5, v0)
        v1 = get('max_threads_per_block', _c3)
        if v1 is _c3:
            v1 = _c7
        elif not (v1.__class__ is int and 32 <= v1 <= 1024):
            v1 = _c6(problems, 'max_threads_per_block', _c8, v1)
        v2 = get('shared_memory_per_block', _c3)
        if v2 is _c3:
            v2 = _c9
        elif not (v2.__class__ is int and 1 <= v2 <= 1048576):
            v2 = _c6(problems, 'shared_memory_per_block', _c10, v2)
        v3 = get('memory_bandwidth_gbps', _c3)
        if v3 is _c3:
            v3 = _c11
        elif not (v3.__class__ is float and v3 > _c12 and v3 <= _c13 and v3 != 0.0):
            v3 = _c6(problems, 'memory_bandwidth_gbps', _c14, v3)
        v4 = get('enable_gpu_optimizations', _c3)
        if v4 is _c3:
            v4 = _c15
        elif not ((v4 is True or v4 is False)):
            v4 = _c6(problems, 'enable_gpu_optimizations', _c16, v4)
        v5 = get('use_tensor_cores', _c3)
        if v5 is _c3:
            v5 = _c15
        elif not ((v5 is True or v5 is False)):
            v5 = _c6(problems, 'use_tensor_cores', _c17, v5)
        v6 = get('use_mixed_precision', _c3)
        if v6 is _c3:
            v6 = _c15
        elif not ((v6 is True or v6 is False)):
            v6 = _c6(problems, 'use_mixed_precision', _c18, v6)
        v7 = get('attention_implementation', _c3)
        if v7 is _c3:
            v7 = _c19
        elif not (v7.__class__ is str and v7 in _c20):
            v7 = _c6(problems, 'attention_implementation', _c21, v7)
        if problems or not _c22.issuperset(data) or not _c23.issuperset(map(type, data)):
            _c24(_c25, problems, data, {'gpu_compute_capability': v0, 'max_threads_per_block': v1, 'shared_memory_per_block': v2, 'memory_bandwidth_gbps': v3, 'enable_gpu_optimizations': v4, 'use_tensor_cores': v5, 'use_mixed_precision': v6, 'attention_implementation': v7})
        obj = _c26(_c25)
        _c27(obj, v0)
        _c28(obj, v1)
        _c29(obj, v2)
        _c30(obj, v3)
        _c31(obj, v4)
        _c32(obj, v5)
        _c33(obj, v6)
        _c34(obj, v7)
        return obj
    return structure

def _check_GPUConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11):
    def check(obj):
        problems = []
        v0 = obj.gpu_compute_capability
        if not (v0.__class__ is tuple and len(v0) == 2 and v0[0].__class__ is int and v0[1].__class__ is int and 1 <= v0[0] <= 15 and 0 <= v0[1] <= 9):
            v0 = _c1(problems, 'gpu_compute_capability', _c0, v0)
        v1 = obj.max_threads_per_block
        if not (v1.__class__ is int and 32 <= v1 <= 1024):
            v1 = _c1(problems, 'max_threads_per_block', _c2, v1)
        v2 = obj.shared_memory_per_block
        if not (v2.__class__ is int and 1 <= v2 <= 1048576):
            v2 = _c1(problems, 'shared_memory_per_block', _c3, v2)
        v3 = obj.memory_bandwidth_gbps
        if not (v3.__class__ is float and v3 > _c4 and v3 <= _c5):
            v3 = _c1(problems, 'memory_bandwidth_gbps', _c6, v3)
        v4 = obj.enable_gpu_optimizations
        if not ((v4 is True or v4 is False)):
            v4 = _c1(problems, 'enable_gpu_optimizations', _c7, v4)
        v5 = obj.use_tensor_cores
        if not ((v5 is True or v5 is False)):
            v5 = _c1(problems, 'use_tensor_cores', _c8, v5)
        v6 = obj.use_mixed_precision
        if not ((v6 is True or v6 is False)):
            v6 = _c1(problems, 'use_mixed_precision', _c9, v6)
        v7 = obj.attention_implementation
        if not (v7.__class__ is str and v7 in _c10):
            v7 = _c1(problems, 'attention_implementation', _c11, v7)
        return problems
    return check

def _replace_GPUConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10):
    def replace(obj, changes):
        new = _c0(_c1)
        _c2(new, obj.gpu_compute_capability)
        _c3(new, obj.max_threads_per_block)
        _c4(new, obj.shared_memory_per_block)
        _c5(new, obj.memory_bandwidth_gbps)
        _c6(new, obj.enable_gpu_optimizations)
        _c7(new, obj.use_tensor_cores)
        _c8(new, obj.use_mixed_precision)
        _c9(new, obj.attention_implementation)
        for name, value in changes.items():
            _c10(new, name, value)
        return new
    return replace

def _structure_PowerManagementConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11, _c12, _c13, _c14, _c15, _c16, _c17, _c18, _c19, _c20, _c21, _c22, _c23, _c24, _c25, _c26, _c27):
    def structure(data):
        if data.__class__ is not dict and not _c0(data, _c1):
            _c2(data)
        problems = []
        get = data.get
        v0 = get('enable_power_optimization', _c3)
        if v0 is _c3:
            v0 = _c4
        elif not ((v0 is True or v0 is False)):
            v0 = _c6(problems, 'enable_power_optimization', _c5, v0)
        v1 = get('power_constraint', _c3)
        if v1 is _c3:
            v1 = _c7
        elif not (v1.__class__ is float and v1 > _c8 and v1 <= _c9 and v1 != 0.0):
            v1 = _c6(problems, 'power_constraint', _c10, v1)
        v2 = get('thermal_constraint', _c3)
        if v2 is _c3:
            v2 = _c11
        elif not (v2.__class__ is float and v2 > _c8 and v2 <= _c12 and v2 != 0.0):
            v2 = _c6(problems, 'thermal_constraint', _c13, v2)
        v3 = get('performance_target', _c3)
        if v3 is _c3:
            v3 = _c14
        elif not (v3.__class__ is float and v3 > _c8 and v3 <= _c9 and v3 != 0.0):
            v3 = _c6(problems, 'performance_target', _c15, v3)
        v4 = get('adaptation_frequency', _c3)
        if v4 is _c3:
            v4 = _c9
        elif not (v4.__class__ is float and v4 > _c8 and v4 <= _c16 and v4 != 0.0):
            v4 = _c6(problems, 'adaptation_frequency', _c17, v4)
        if problems or not _c18.issuperset(data) or not _c19.issuperset(map(type, data)):
            _c20(_c21, problems, data, {'enable_power_optimization': v0, 'power_constraint': v1, 'thermal_constraint': v2, 'performance_target': v3, 'adaptation_frequency': v4})
        obj = _c22(_c21)
        _c23(obj, v0)
        _c24(obj, v1)
        _c25(obj, v2)
        _c26(obj, v3)
        _c27(obj, v4)
        return obj
    return structure

def _check_PowerManagementConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9):
    def check(obj):
        problems = []
        v0 = obj.enable_power_optimization
        if not ((v0 is True or v0 is False)):
            v0 = _c1(problems, 'enable_power_optimization', _c0, v0)
        v1 = obj.power_constraint
        if not (v1.__class__ is float and v1 > _c2 and v1 <= _c3):
            v1 = _c1(problems, 'power_constraint', _c4, v1)
        v2 = obj.thermal_constraint
        if not (v2.__class__ is float and v2 > _c2 and v2 <= _c5):
            v2 = _c1(problems, 'thermal_constraint', _c6, v2)
        v3 = obj.performance_target
        if not (v3.__class__ is float and v3 > _c2 and v3 <= _c3):
            v3 = _c1(problems, 'performance_target', _c7, v3)
        v4 = obj.adaptation_frequency
        if not (v4.__class__ is float and v4 > _c2 and v4 <= _c8):
            v4 = _c1(problems, 'adaptation_frequency', _c9, v4)
        return problems
    return check

def _replace_PowerManagementConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7):
    def replace(obj, changes):
        new = _c0(_c1)
        _c2(new, obj.enable_power_optimization)
        _c3(new, obj.power_constraint)
        _c4(new, obj.thermal_constraint)
        _c5(new, obj.performance_target)
        _c6(new, obj.adaptation_frequency)
        for name, value in changes.items():
            _c7(new, name, value)
        return new
    return replace

def _structure_OptimizationConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11, _c12, _c13, _c14, _c15, _c16, _c17, _c18, _c19, _c20, _c21, _c22, _c23, _c24, _c25, _c26, _c27, _c28, _c29, _c30, _c31, _c32, _c33, _c34, _c35, _c36, _c37, _c38, _c39, _c40, _c41, _c42, _c43, _c44, _c45, _c46, _c47, _c48, _c49, _c50, _c51, _c52, _c53, _c54, _c55, _c56, _c57, _c58, _c59, _c60, _c61, _c62, _c63, _c64, _c65):
    def structure(data):
        if data.__class__ is not dict and not _c0(data, _c1):
            _c2(data)
        problems = []
        get = data.get
        v0 = get('use_memory_pooling', _c3)
        if v0 is _c3:
            v0 = _c4
        elif not ((v0 is True or v0 is False)):
            v0 = _c6(problems, 'use_memory_pooling', _c5, v0)
        v1 = get('use_hierarchical_memory_compression', _c3)
        if v1 is _c3:
            v1 = _c4
        elif not ((v1 is True or v1 is False)):
            v1 = _c6(problems, 'use_hierarchical_memory_compression', _c7, v1)
        v2 = get('use_memory_efficient_attention', _c3)
        if v2 is _c3:
            v2 = _c4
        elif not ((v2 is True or v2 is False)):
            v2 = _c6(problems, 'use_memory_efficient_attention', _c8, v2)
        v3 = get('use_sparsity', _c3)
        if v3 is _c3:
            v3 = _c4
        elif not ((v3 is True or v3 is False)):
            v3 = _c6(problems, 'use_sparsity', _c9, v3)
        v4 = get('sparsity_ratio', _c3)
        if v4 is _c3:
            v4 = _c10
        elif not (v4.__class__ is float and v4 >= _c11 and v4 < _c12 and v4 != 0.0):
            v4 = _c6(problems, 'sparsity_ratio', _c13, v4)
        v5 = get('use_dynamic_sparse_attention', _c3)
        if v5 is _c3:
            v5 = _c4
        elif not ((v5 is True or v5 is False)):
            v5 = _c6(problems, 'use_dynamic_sparse_attention', _c14, v5)
        v6 = get('use_adaptive_precision', _c3)
        if v6 is _c3:
            v6 = _c4
        elif not ((v6 is True or v6 is False)):
            v6 = _c6(problems, 'use_adaptive_precision', _c15, v6)
        v7 = get('use_moe', _c3)
        if v7 is _c3:
            v7 = _c4
        elif not ((v7 is True or v7 is False)):
            v7 = _c6(problems, 'use_moe', _c16, v7)
        v8 = get('moe_num_experts', _c3)
        if v8 is _c3:
            v8 = _c17
        elif not (v8.__class__ is int and 2 <= v8 <= 1024):
            v8 = _c6(problems, 'moe_num_experts', _c18, v8)
        v9 = get('moe_top_k', _c3)
        if v9 is _c3:
            v9 = _c19
        elif not (v9.__class__ is int and 1 <= v9 <= 1024):
            v9 = _c6(problems, 'moe_top_k', _c20, v9)
        v10 = get('use_flash_attention_2', _c3)
        if v10 is _c3:
            v10 = _c4
        elif not ((v10 is True or v10 is False)):
            v10 = _c6(problems, 'use_flash_attention_2', _c21, v10)
        v11 = get('use_adaptive_depth', _c3)
        if v11 is _c3:
            v11 = _c4
        elif not ((v11 is True or v11 is False)):
            v11 = _c6(problems, 'use_adaptive_depth', _c22, v11)
        v12 = get('use_gradient_checkpointing', _c3)
        if v12 is _c3:
            v12 = _c4
        elif not ((v12 is True or v12 is False)):
            v12 = _c6(problems, 'use_gradient_checkpointing', _c23, v12)
        v13 = get('use_context_adaptive_positional_encoding', _c3)
        if v13 is _c3:
            v13 = _c4
        elif not ((v13 is True or v13 is False)):
            v13 = _c6(problems, 'use_context_adaptive_positional_encoding', _c24, v13)
        v14 = get('use_conditional_feature_extraction', _c3)
        if v14 is _c3:
            v14 = _c4
        elif not ((v14 is True or v14 is False)):
            v14 = _c6(problems, 'use_conditional_feature_extraction', _c25, v14)
        v15 = get('use_cross_modal_compression', _c3)
        if v15 is _c3:
            v15 = _c4
        elif not ((v15 is True or v15 is False)):
            v15 = _c6(problems, 'use_cross_modal_compression', _c26, v15)
        v16 = get('use_cross_layer_memory_sharing', _c3)
        if v16 is _c3:
            v16 = _c4
        elif not ((v16 is True or v16 is False)):
            v16 = _c6(problems, 'use_cross_layer_memory_sharing', _c27, v16)
        v17 = get('use_hierarchical_vision', _c3)
        if v17 is _c3:
            v17 = _c4
        elif not ((v17 is True or v17 is False)):
            v17 = _c6(problems, 'use_hierarchical_vision', _c28, v17)
        v18 = get('use_learned_activation_routing', _c3)
        if v18 is _c3:
            v18 = _c4
        elif not ((v18 is True or v18 is False)):
            v18 = _c6(problems, 'use_learned_activation_routing', _c29, v18)
        v19 = get('use_adaptive_batch_processing', _c3)
        if v19 is _c3:
            v19 = _c4
        elif not ((v19 is True or v19 is False)):
            v19 = _c6(problems, 'use_adaptive_batch_processing', _c30, v19)
        v20 = get('use_adaptive_sequence_packing', _c3)
        if v20 is _c3:
            v20 = _c4
        elif not ((v20 is True or v20 is False)):
            v20 = _c6(problems, 'use_adaptive_sequence_packing', _c31, v20)
        v21 = get('use_memory_efficient_grad_accumulation', _c3)
        if v21 is _c3:
            v21 = _c4
        elif not ((v21 is True or v21 is False)):
            v21 = _c6(problems, 'use_memory_efficient_grad_accumulation', _c32, v21)
        v22 = get('use_faster_rotary_embeddings', _c3)
        if v22 is _c3:
            v22 = _c4
        elif not ((v22 is True or v22 is False)):
            v22 = _c6(problems, 'use_faster_rotary_embeddings', _c33, v22)
        v23 = get('use_hardware_specific_kernels', _c3)
        if v23 is _c3:
            v23 = _c4
        elif not ((v23 is True or v23 is False)):
            v23 = _c6(problems, 'use_hardware_specific_kernels', _c34, v23)
        if problems or not _c35.issuperset(data) or not _c36.issuperset(map(type, data)):
            _c37(_c38, problems, data, {'use_memory_pooling': v0, 'use_hierarchical_memory_compression': v1, 'use_memory_efficient_attention': v2, 'use_sparsity': v3, 'sparsity_ratio': v4, 'use_dynamic_sparse_attention': v5, 'use_adaptive_precision': v6, 'use_moe': v7, 'moe_num_experts': v8, 'moe_top_k': v9, 'use_flash_attention_2': v10, 'use_adaptive_depth': v11, 'use_gradient_checkpointing': v12, 'use_context_adaptive_positional_encoding': v13, 'use_conditional_feature_extraction': v14, 'use_cross_modal_compression': v15, 'use_cross_layer_memory_sharing': v16, 'use_hierarchical_vision': v17, 'use_learned_activation_routing': v18, 'use_adaptive_batch_processing': v19, 'use_adaptive_sequence_packing': v20, 'use_memory_efficient_grad_accumulation': v21, 'use_faster_rotary_embeddings': v22, 'use_hardware_specific_kernels': v23})
        values = {'use_memory_pooling': v0, 'use_hierarchical_memory_compression': v1, 'use_memory_efficient_attention': v2, 'use_sparsity': v3, 'sparsity_ratio': v4, 'use_dynamic_sparse_attention': v5, 'use_adaptive_precision': v6, 'use_moe': v7, 'moe_num_experts': v8, 'moe_top_k': v9, 'use_flash_attention_2': v10, 'use_adaptive_depth': v11, 'use_gradient_checkpointing': v12, 'use_context_adaptive_positional_encoding': v13, 'use_conditional_feature_extraction': v14, 'use_cross_modal_compression': v15, 'use_cross_layer_memory_sharing': v16, 'use_hierarchical_vision': v17, 'use_learned_activation_routing': v18, 'use_adaptive_batch_processing': v19, 'use_adaptive_sequence_packing': v20, 'use_memory_efficient_grad_accumulation': v21, 'use_faster_rotary_embeddings': v22, 'use_hardware_specific_kernels': v23}
        problems = [*_c39(values)]
        if problems:
            raise _c40(problems)
        obj = _c41(_c38)
        _c42(obj, v0)
        _c43(obj, v1)
        _c44(obj, v2)
        _c45(obj, v3)
        _c46(obj, v4)
        _c47(obj, v5)
        _c48(obj, v6)
        _c49(obj, v7)
        _c50(obj, v8)
        _c51(obj, v9)
        _c52(obj, v10)
        _c53(obj, v11)
        _c54(obj, v12)
        _c55(obj, v13)
        _c56(obj, v14)
        _c57(obj, v15)
        _c58(obj, v16)
        _c59(obj, v17)
        _c60(obj, v18)
        _c61(obj, v19)
        _c62(obj, v20)
        _c63(obj, v21)
        _c64(obj, v22)
        _c65(obj, v23)
        return obj
    return structure

def _check_OptimizationConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11, _c12, _c13, _c14, _c15, _c16, _c17, _c18, _c19, _c20, _c21, _c22, _c23, _c24, _c25, _c26, _c27, _c28):
    def check(obj):
        problems = []
        v0 = obj.use_memory_pooling
        if not ((v0 is True or v0 is False)):
            v0 = _c1(problems, 'use_memory_pooling', _c0, v0)
        v1 = obj.use_hierarchical_memory_compression
        if not ((v1 is True or v1 is False)):
            v1 = _c1(problems, 'use_hierarchical_memory_compression', _c2, v1)
        v2 = obj.use_memory_efficient_attention
        if not ((v2 is True or v2 is False)):
            v2 = _c1(problems, 'use_memory_efficient_attention', _c3, v2)
        v3 = obj.use_sparsity
        if not ((v3 is True or v3 is False)):
            v3 = _c1(problems, 'use_sparsity', _c4, v3)
        v4 = obj.sparsity_ratio
        if not (v4.__class__ is float and v4 >= _c5 and v4 < _c6):
            v4 = _c1(problems, 'sparsity_ratio', _c7, v4)
        v5 = obj.use_dynamic_sparse_attention
        if not ((v5 is True or v5 is False)):
            v5 = _c1(problems, 'use_dynamic_sparse_attention', _c8, v5)
        v6 = obj.use_adaptive_precision
        if not ((v6 is True or v6 is False)):
            v6 = _c1(problems, 'use_adaptive_precision', _c9, v6)
        v7 = obj.use_moe
        if not ((v7 is True or v7 is False)):
            v7 = _c1(problems, 'use_moe', _c10, v7)
        v8 = obj.moe_num_experts
        if not (v8.__class__ is int and 2 <= v8 <= 1024):
            v8 = _c1(problems, 'moe_num_experts', _c11, v8)
        v9 = obj.moe_top_k
        if not (v9.__class__ is int and 1 <= v9 <= 1024):
            v9 = _c1(problems, 'moe_top_k', _c12, v9)
        v10 = obj.use_flash_attention_2
        if not ((v10 is True or v10 is False)):
            v10 = _c1(problems, 'use_flash_attention_2', _c13, v10)
        v11 = obj.use_adaptive_depth
        if not ((v11 is True or v11 is False)):
            v11 = _c1(problems, 'use_adaptive_depth', _c14, v11)
        v12 = obj.use_gradient_checkpointing
        if not ((v12 is True or v12 is False)):
            v12 = _c1(problems, 'use_gradient_checkpointing', _c15, v12)
        v13 = obj.use_context_adaptive_positional_encoding
        if not ((v13 is True or v13 is False)):
            v13 = _c1(problems, 'use_context_adaptive_positional_encoding', _c16, v13)
        v14 = obj.use_conditional_feature_extraction
        if not ((v14 is True or v14 is False)):
            v14 = _c1(problems, 'use_conditional_feature_extraction', _c17, v14)
        v15 = obj.use_cross_modal_compression
        if not ((v15 is True or v15 is False)):
            v15 = _c1(problems, 'use_cross_modal_compression', _c18, v15)
        v16 = obj.use_cross_layer_memory_sharing
        if not ((v16 is True or v16 is False)):
            v16 = _c1(problems, 'use_cross_layer_memory_sharing', _c19, v16)
        v17 = obj.use_hierarchical_vision
        if not ((v17 is True or v17 is False)):
            v17 = _c1(problems, 'use_hierarchical_vision', _c20, v17)
        v18 = obj.use_learned_activation_routing
        if not ((v18 is True or v18 is False)):
            v18 = _c1(problems, 'use_learned_activation_routing', _c21, v18)
        v19 = obj.use_adaptive_batch_processing
        if not ((v19 is True or v19 is False)):
            v19 = _c1(problems, 'use_adaptive_batch_processing', _c22, v19)
        v20 = obj.use_adaptive_sequence_packing
        if not ((v20 is True or v20 is False)):
            v20 = _c1(problems, 'use_adaptive_sequence_packing', _c23, v20)
        v21 = obj.use_memory_efficient_grad_accumulation
        if not ((v21 is True or v21 is False)):
            v21 = _c1(problems, 'use_memory_efficient_grad_accumulation', _c24, v21)
        v22 = obj.use_faster_rotary_embeddings
        if not ((v22 is True or v22 is False)):
            v22 = _c1(problems, 'use_faster_rotary_embeddings', _c25, v22)
        v23 = obj.use_hardware_specific_kernels
        if not ((v23 is True or v23 is False)):
            v23 = _c1(problems, 'use_hardware_specific_kernels', _c26, v23)
        _c27(_c28, {'use_memory_pooling': v0, 'use_hierarchical_memory_compression': v1, 'use_memory_efficient_attention': v2, 'use_sparsity': v3, 'sparsity_ratio': v4, 'use_dynamic_sparse_attention': v5, 'use_adaptive_precision': v6, 'use_moe': v7, 'moe_num_experts': v8, 'moe_top_k': v9, 'use_flash_attention_2': v10, 'use_adaptive_depth': v11, 'use_gradient_checkpointing': v12, 'use_context_adaptive_positional_encoding': v13, 'use_conditional_feature_extraction': v14, 'use_cross_modal_compression': v15, 'use_cross_layer_memory_sharing': v16, 'use_hierarchical_vision': v17, 'use_learned_activation_routing': v18, 'use_adaptive_batch_processing': v19, 'use_adaptive_sequence_packing': v20, 'use_memory_efficient_grad_accumulation': v21, 'use_faster_rotary_embeddings': v22, 'use_hardware_specific_kernels': v23}, problems)
        return problems
    return check

def _replace_OptimizationConfig(*, _c0, _c1, _c2, _c3, _c4, _c5, _c6, _c7, _c8, _c9, _c10, _c11, _c12, _c13, _c14, _c15, _c16, _c17, _c18, _c19, _c20, _c21, _c22, _c23, _c24, _c25, _c26):
    def replace(obj, changes):
        new = _c0(_c1)
        _c2(new, obj.use_memory_pooling)
        _c3(new, obj.use_hierarchical_memory_compression)
        _c4(new, obj.use_memory_efficient_attention)
        _c5(new, obj.use_sparsity)
        _c6(new, obj.sparsity_ratio)
        _c7(new, obj.use_dynamic_sparse_attention)
        _c8(new, obj.use_adaptive_precision)
        _c9(new, obj.use_moe)
        _c10(new, obj.moe_num_experts)
        _c11(new, obj.moe_top_k)
        _c12(new, obj.use_flash_attention_2)
        _c13(new, obj.use_adaptive_depth)
        _c14(new, obj.use_gradient_checkpointing)
        _c15(new, obj.use_context_adaptive_positional_encoding)
        _c16(new, obj.use_conditional_feature_extraction)
        _c17(new, obj.use_cross_modal_compression)
        _c18(new, obj.use_cross_layer_memory_sharing)
        _c19(new, obj.use_hierarchical_vision)
        _c20(new, obj.use_learned_activation_routing)
        _c21(new, obj.use_adaptive_batch_processing)
        _c22(new, obj.use_adaptive_sequence_packing)
        _c23(new, obj.use_memory_efficient_grad_accumulation)
        _c24(new, obj.use_faster_rotary_embeddings)
        _c25(new, obj.use_hardware_specific_kernels)
        for name, value in changes.items():
            _c26(new, name, value)
        return new
    return replace


FACTORIES = {
    "def structure(data):\n    if data.__class__ is not dict and not _c0(data, _c1):\n        _c2(data)\n    problems = []\n    get = data.get\n    v0 = get('config_version', _c3)\n    if v0 is _c3:\n        v0 = _c4\n    elif not (v0.__class__ is int and 1 <= v0 <= 1):\n        v0 = _c6(problems, 'config_version', _c5, v0)\n    v1 = get('num_hidden_layers', _c3)\n    if v1 is _c3:\n        v1 = _c7\n    elif not (v1.__class__ is int and 1 <= v1 <= 1024):\n        v1 = _c6(problems, 'num_hidden_layers', _c8, v1)\n    v2 = get('num_attention_heads', _c3)\n    if v2 is _c3:\n        v2 = _c7\n    elif not (v2.__class__ is int and 1 <= v2 <= 1024):\n        v2 = _c6(problems, 'num_attention_heads', _c9, v2)\n    v3 = get('hidden_size', _c3)\n    if v3 is _c3:\n        v3 = _c10\n    elif not (v3.__class__ is int and 1 <= v3 <= 262144):\n        v3 = _c6(problems, 'hidden_size', _c11, v3)\n    v4 = get('intermediate_size', _c3)\n    if v4 is _c3:\n        v4 = _c12\n    elif not (v4.__class__ is int and 1 <= v4 <= 1048576):\n        v4 = _c6(problems, 'intermediate_size', _c13, v4)\n    v5 = get('vocab_size', _c3)\n    if v5 is _c3:\n        v5 = _c14\n    elif not (v5.__class__ is int and 1 <= v5 <= 16777216):\n        v5 = _c6(problems, 'vocab_size', _c15, v5)\n    v6 = get('max_position_embeddings', _c3)\n    if v6 is _c3:\n        v6 = _c16\n    elif not (v6.__class__ is int and 1 <= v6 <= 67108864):\n        v6 = _c6(problems, 'max_position_embeddings', _c17, v6)\n    v7 = get('vision_num_hidden_layers', _c3)\n    if v7 is _c3:\n        v7 = _c18\n    elif not (v7.__class__ is int and 1 <= v7 <= 1024):\n        v7 = _c6(problems, 'vision_num_hidden_layers', _c19, v7)\n    v8 = get('vision_num_attention_heads', _c3)\n    if v8 is _c3:\n        v8 = _c20\n    elif not (v8.__class__ is int and 1 <= v8 <= 1024):\n        v8 = _c6(problems, 'vision_num_attention_heads', _c21, v8)\n    v9 = get('vision_hidden_size', _c3)\n    if v9 is _c3:\n        v9 = _c22\n    elif not (v9.__class__ is int and 1 <= v9 <= 262144):\n        v9 = _c6(problems, 'vision_hidden_size', _c23, v9)\n    v10 = get('vision_image_size', _c3)\n    if v10 is _c3:\n        v10 = _c24\n    elif not (v10.__class__ is int and 1 <= v10 <= 65536):\n        v10 = _c6(problems, 'vision_image_size', _c25, v10)\n    v11 = get('vision_patch_size', _c3)\n    if v11 is _c3:\n        v11 = _c26\n    elif not (v11.__class__ is int and 1 <= v11 <= 65536):\n        v11 = _c6(problems, 'vision_patch_size', _c27, v11)\n    v12 = get('num_key_value_heads', _c3)\n    if v12 is _c3:\n        v12 = _c28\n    elif not (v12.__class__ is int and 0 <= v12 <= 1024):\n        v12 = _c6(problems, 'num_key_value_heads', _c29, v12)\n    v13 = get('head_dim', _c3)\n    if v13 is _c3:\n        v13 = _c30\n    elif not (v13.__class__ is int and 1 <= v13 <= 4096):\n        v13 = _c6(problems, 'head_dim', _c31, v13)\n    v14 = get('hidden_act', _c3)\n    if v14 is _c3:\n        v14 = _c32\n    elif not (v14.__class__ is str and v14 in _c33):\n        v14 = _c6(problems, 'hidden_act', _c34, v14)\n    v15 = get('rms_norm_eps', _c3)\n    if v15 is _c3:\n        v15 = _c35\n    elif not (v15.__class__ is float and v15 > _c36 and v15 <= _c37 and v15 != 0.0):\n        v15 = _c6(problems, 'rms_norm_eps', _c38, v15)\n    v16 = get('rope_theta', _c3)\n    if v16 is _c3:\n        v16 = _c39\n    elif not (v16.__class__ is float and v16 > _c36 and v16 <= _c40 and v16 != 0.0):\n        v16 = _c6(problems, 'rope_theta', _c41, v16)\n    v17 = get('mrope_section', _c3)\n    if v17 is _c3:\n        v17 = _c42\n    else:\n        v17 = _c6(problems, 'mrope_section', _c43, v17)\n    v18 = get('mrope_interleaved', _c3)\n    if v18 is _c3:\n        v18 = _c44\n    elif not ((v18 is True or v18 is False)):\n        v18 = _c6(problems, 'mrope_interleaved', _c45, v18)\n    v19 = get('attention_bias', _c3)\n    if v19 is _c3:\n        v19 = _c46\n    elif not ((v19 is True or v19 is False)):\n        v19 = _c6(problems, 'attention_bias', _c47, v19)\n    v20 = get('tie_word_embeddings', _c3)\n    if v20 is _c3:\n        v20 = _c46\n    elif not ((v20 is True or v20 is False)):\n        v20 = _c6(problems, 'tie_word_embeddings', _c48, v20)\n    v21 = get('vision_intermediate_size', _c3)\n    if v21 is _c3:\n        v21 = _c49\n    elif not (v21.__class__ is int and 1 <= v21 <= 1048576):\n        v21 = _c6(problems, 'vision_intermediate_size', _c50, v21)\n    v22 = get('vision_out_hidden_size', _c3)\n    if v22 is _c3:\n        v22 = _c28\n    elif not (v22.__class__ is int and 0 <= v22 <= 262144):\n        v22 = _c6(problems, 'vision_out_hidden_size', _c51, v22)\n    v23 = get('vision_spatial_merge_size', _c3)\n    if v23 is _c3:\n        v23 = _c52\n    elif not (v23.__class__ is int and 1 <= v23 <= 64):\n        v23 = _c6(problems, 'vision_spatial_merge_size', _c53, v23)\n    v24 = get('vision_temporal_patch_size', _c3)\n    if v24 is _c3:\n        v24 = _c52\n    elif not (v24.__class__ is int and 1 <= v24 <= 64):\n        v24 = _c6(problems, 'vision_temporal_patch_size', _c54, v24)\n    v25 = get('vision_in_channels', _c3)\n    if v25 is _c3:\n        v25 = _c55\n    elif not (v25.__class__ is int and 1 <= v25 <= 64):\n        v25 = _c6(problems, 'vision_in_channels', _c56, v25)\n    v26 = get('vision_num_position_embeddings', _c3)\n    if v26 is _c3:\n        v26 = _c57\n    elif not (v26.__class__ is int and 1 <= v26 <= 1048576):\n        v26 = _c6(problems, 'vision_num_position_embeddings', _c58, v26)\n    v27 = get('vision_hidden_act', _c3)\n    if v27 is _c3:\n        v27 = _c59\n    elif not (v27.__class__ is str and v27 in _c60):\n        v27 = _c6(problems, 'vision_hidden_act', _c61, v27)\n    v28 = get('vision_deepstack_visual_indexes', _c3)\n    if v28 is _c3:\n        v28 = _c62\n    else:\n        v28 = _c6(problems, 'vision_deepstack_visual_indexes', _c63, v28)\n    v29 = get('num_experts', _c3)\n    if v29 is _c3:\n        v29 = _c28\n    elif not (v29.__class__ is int and 0 <= v29 <= 1024):\n        v29 = _c6(problems, 'num_experts', _c64, v29)\n    v30 = get('num_experts_per_tok', _c3)\n    if v30 is _c3:\n        v30 = _c28\n    elif not (v30.__class__ is int and 0 <= v30 <= 1024):\n        v30 = _c6(problems, 'num_experts_per_tok', _c65, v30)\n    v31 = get('moe_intermediate_size', _c3)\n    if v31 is _c3:\n        v31 = _c28\n    elif not (v31.__class__ is int and 0 <= v31 <= 1048576):\n        v31 = _c6(problems, 'moe_intermediate_size', _c66, v31)\n    v32 = get('decoder_sparse_step', _c3)\n    if v32 is _c3:\n        v32 = _c4\n    elif not (v32.__class__ is int and 1 <= v32 <= 1024):\n        v32 = _c6(problems, 'decoder_sparse_step', _c67, v32)\n    v33 = get('mlp_only_layers', _c3)\n    if v33 is _c3:\n        v33 = _c68\n    else:\n        v33 = _c6(problems, 'mlp_only_layers', _c69, v33)\n    v34 = get('norm_topk_prob', _c3)\n    if v34 is _c3:\n        v34 = _c44\n    elif not ((v34 is True or v34 is False)):\n        v34 = _c6(problems, 'norm_topk_prob', _c70, v34)\n    v35 = get('image_token_id', _c3)\n    if v35 is _c3:\n        v35 = _c71\n    elif not (v35.__class__ is int and 0 <= v35 <= 16777215):\n        v35 = _c6(problems, 'image_token_id', _c72, v35)\n    v36 = get('video_token_id', _c3)\n    if v36 is _c3:\n        v36 = _c73\n    elif not (v36.__class__ is int and 0 <= v36 <= 16777215):\n        v36 = _c6(problems, 'video_token_id', _c74, v36)\n    v37 = get('vision_start_token_id', _c3)\n    if v37 is _c3:\n        v37 = _c75\n    elif not (v37.__class__ is int and 0 <= v37 <= 16777215):\n        v37 = _c6(problems, 'vision_start_token_id', _c76, v37)\n    v38 = get('vision_end_token_id', _c3)\n    if v38 is _c3:\n        v38 = _c77\n    elif not (v38.__class__ is int and 0 <= v38 <= 16777215):\n        v38 = _c6(problems, 'vision_end_token_id', _c78, v38)\n    v39 = get('optimization_level', _c3)\n    if v39 is _c3:\n        v39 = _c79\n    elif not (v39.__class__ is str and v39 in _c80):\n        v39 = _c6(problems, 'optimization_level', _c81, v39)\n    v40 = get('hardware_target', _c3)\n    if v40 is _c3:\n        v40 = _c82\n    elif not (v40.__class__ is str and _c83(v40) is not None):\n        v40 = _c6(problems, 'hardware_target', _c84, v40)\n    v41 = get('preserve_full_capacity', _c3)\n    if v41 is _c3:\n        v41 = _c44\n    elif not ((v41 is True or v41 is False)):\n        v41 = _c6(problems, 'preserve_full_capacity', _c85, v41)\n    v42 = get('memory_config', _c3)\n    if v42 is _c3:\n        v42 = _c86()\n    else:\n        v42 = _c88(problems, 'memory_config', _c87, v42)\n    v43 = get('cpu_config', _c3)\n    if v43 is _c3:\n        v43 = _c89()\n    else:\n        v43 = _c88(problems, 'cpu_config', _c90, v43)\n    v44 = get('gpu_config', _c3)\n    if v44 is _c3:\n        v44 = _c91()\n    else:\n        v44 = _c88(problems, 'gpu_config', _c92, v44)\n    v45 = get('power_management_config', _c3)\n    if v45 is _c3:\n        v45 = _c93()\n    else:\n        v45 = _c88(problems, 'power_management_config', _c94, v45)\n    v46 = get('optimization_config', _c3)\n    if v46 is _c3:\n        v46 = _c95()\n    else:\n        v46 = _c88(problems, 'optimization_config', _c96, v46)\n    if problems or not _c97.issuperset(data) or not _c98.issuperset(map(type, data)):\n        _c99(_c100, problems, data, {'config_version': v0, 'num_hidden_layers': v1, 'num_attention_heads': v2, 'hidden_size': v3, 'intermediate_size': v4, 'vocab_size': v5, 'max_position_embeddings': v6, 'vision_num_hidden_layers': v7, 'vision_num_attention_heads': v8, 'vision_hidden_size': v9, 'vision_image_size': v10, 'vision_patch_size': v11, 'num_key_value_heads': v12, 'head_dim': v13, 'hidden_act': v14, 'rms_norm_eps': v15, 'rope_theta': v16, 'mrope_section': v17, 'mrope_interleaved': v18, 'attention_bias': v19, 'tie_word_embeddings': v20, 'vision_intermediate_size': v21, 'vision_out_hidden_size': v22, 'vision_spatial_merge_size': v23, 'vision_temporal_patch_size': v24, 'vision_in_channels': v25, 'vision_num_position_embeddings': v26, 'vision_hidden_act': v27, 'vision_deepstack_visual_indexes': v28, 'num_experts': v29, 'num_experts_per_tok': v30, 'moe_intermediate_size': v31, 'decoder_sparse_step': v32, 'mlp_only_layers': v33, 'norm_topk_prob': v34, 'image_token_id': v35, 'video_token_id': v36, 'vision_start_token_id': v37, 'vision_end_token_id': v38, 'optimization_level': v39, 'hardware_target': v40, 'preserve_full_capacity': v41, 'memory_config': v42, 'cpu_config': v43, 'gpu_config': v44, 'power_management_config': v45, 'optimization_config': v46})\n    values = {'config_version': v0, 'num_hidden_layers': v1, 'num_attention_heads': v2, 'hidden_size': v3, 'intermediate_size': v4, 'vocab_size': v5, 'max_position_embeddings': v6, 'vision_num_hidden_layers': v7, 'vision_num_attention_heads': v8, 'vision_hidden_size': v9, 'vision_image_size': v10, 'vision_patch_size': v11, 'num_key_value_heads': v12, 'head_dim': v13, 'hidden_act': v14, 'rms_norm_eps': v15, 'rope_theta': v16, 'mrope_section': v17, 'mrope_interleaved': v18, 'attention_bias': v19, 'tie_word_embeddings': v20, 'vision_intermediate_size': v21, 'vision_out_hidden_size': v22, 'vision_spatial_merge_size': v23, 'vision_temporal_patch_size': v24, 'vision_in_channels': v25, 'vision_num_position_embeddings': v26, 'vision_hidden_act': v27, 'vision_deepstack_visual_indexes': v28, 'num_experts': v29, 'num_experts_per_tok': v30, 'moe_intermediate_size': v31, 'decoder_sparse_step': v32, 'mlp_only_layers': v33, 'norm_topk_prob': v34, 'image_token_id': v35, 'video_token_id': v36, 'vision_start_token_id': v37, 'vision_end_token_id': v38, 'optimization_level': v39, 'hardware_target': v40, 'preserve_full_capacity': v41, 'memory_config': v42, 'cpu_config': v43, 'gpu_config': v44, 'power_management_config': v45, 'optimization_config': v46}\n    problems = [*_c101(values), *_c102(values), *_c103(values), *_c104(values), *_c105(values), *_c106(values), *_c107(values), *_c108(values), *_c109(values)]\n    if problems:\n        raise _c110(problems)\n    obj = _c111(_c100)\n    _c112(obj, v0)\n    _c113(obj, v1)\n    _c114(obj, v2)\n    _c115(obj, v3)\n    _c116(obj, v4)\n    _c117(obj, v5)\n    _c118(obj, v6)\n    _c119(obj, v7)\n    _c120(obj, v8)\n    _c121(obj, v9)\n    _c122(obj, v10)\n    _c123(obj, v11)\n    _c124(obj, v12)\n    _c125(obj, v13)\n    _c126(obj, v14)\n    _c127(obj, v15)\n    _c128(obj, v16)\n    _c129(obj, v17)\n    _c130(obj, v18)\n    _c131(obj, v19)\n    _c132(obj, v20)\n    _c133(obj, v21)\n    _c134(obj, v22)\n    _c135(obj, v23)\n    _c136(obj, v24)\n    _c137(obj, v25)\n    _c138(obj, v26)\n    _c139(obj, v27)\n    _c140(obj, v28)\n    _c141(obj, v29)\n    _c142(obj, v30)\n    _c143(obj, v31)\n    _c144(obj, v32)\n    _c145(obj, v33)\n    _c146(obj, v34)\n    _c147(obj, v35)\n    _c148(obj, v36)\n    _c149(obj, v37)\n    _c150(obj, v38)\n    _c151(obj, v39)\n    _c152(obj, v40)\n    _c153(obj, v41)\n    _c154(obj, v42)\n    _c155(obj, v43)\n    _c156(obj, v44)\n    _c157(obj, v45)\n    _c158(obj, v46)\n    return obj": _structure_Qwen3VLConfig,
    "def check(obj):\n    problems = []\n    v0 = obj.config_version\n    if not (v0.__class__ is int and 1 <= v0 <= 1):\n        v0 = _c1(problems, 'config_version', _c0, v0)\n    v1 = obj.num_hidden_layers\n    if not (v1.__class__ is int and 1 <= v1 <= 1024):\n        v1 = _c1(problems, 'num_hidden_layers', _c2, v1)\n    v2 = obj.num_attention_heads\n    if not (v2.__class__ is int and 1 <= v2 <= 1024):\n        v2 = _c1(problems, 'num_attention_heads', _c3, v2)\n    v3 = obj.hidden_size\n    if not (v3.__class__ is int and 1 <= v3 <= 262144):\n        v3 = _c1(problems, 'hidden_size', _c4, v3)\n    v4 = obj.intermediate_size\n    if not (v4.__class__ is int and 1 <= v4 <= 1048576):\n        v4 = _c1(problems, 'intermediate_size', _c5, v4)\n    v5 = obj.vocab_size\n    if not (v5.__class__ is int and 1 <= v5 <= 16777216):\n        v5 = _c1(problems, 'vocab_size', _c6, v5)\n    v6 = obj.max_position_embeddings\n    if not (v6.__class__ is int and 1 <= v6 <= 67108864):\n        v6 = _c1(problems, 'max_position_embeddings', _c7, v6)\n    v7 = obj.vision_num_hidden_layers\n    if not (v7.__class__ is int and 1 <= v7 <= 1024):\n        v7 = _c1(problems, 'vision_num_hidden_layers', _c8, v7)\n    v8 = obj.vision_num_attention_heads\n    if not (v8.__class__ is int and 1 <= v8 <= 1024):\n        v8 = _c1(problems, 'vision_num_attention_heads', _c9, v8)\n    v9 = obj.vision_hidden_size\n    if not (v9.__class__ is int and 1 <= v9 <= 262144):\n        v9 = _c1(problems, 'vision_hidden_size', _c10, v9)\n    v10 = obj.vision_image_size\n    if not (v10.__class__ is int and 1 <= v10 <= 65536):\n        v10 = _c1(problems, 'vision_image_size', _c11, v10)\n    v11 = obj.vision_patch_size\n    if not (v11.__class__ is int and 1 <= v11 <= 65536):\n        v11 = _c1(problems, 'vision_patch_size', _c12, v11)\n    v12 = obj.num_key_value_heads\n    if not (v12.__class__ is int and 0 <= v12 <= 1024):\n        v12 = _c1(problems, 'num_key_value_heads', _c13, v12)\n    v13 = obj.head_dim\n    if not (v13.__class__ is int and 1 <= v13 <= 4096):\n        v13 = _c1(problems, 'head_dim', _c14, v13)\n    v14 = obj.hidden_act\n    if not (v14.__class__ is str and v14 in _c15):\n        v14 = _c1(problems, 'hidden_act', _c16, v14)\n    v15 = obj.rms_norm_eps\n    if not (v15.__class__ is float and v15 > _c17 and v15 <= _c18):\n        v15 = _c1(problems, 'rms_norm_eps', _c19, v15)\n    v16 = obj.rope_theta\n    if not (v16.__class__ is float and v16 > _c17 and v16 <= _c20):\n        v16 = _c1(problems, 'rope_theta', _c21, v16)\n    v17 = obj.mrope_section\n    v17 = _c1(problems, 'mrope_section', _c22, v17)\n    v18 = obj.mrope_interleaved\n    if not ((v18 is True or v18 is False)):\n        v18 = _c1(problems, 'mrope_interleaved', _c23, v18)\n    v19 = obj.attention_bias\n    if not ((v19 is True or v19 is False)):\n        v19 = _c1(problems, 'attention_bias', _c24, v19)\n    v20 = obj.tie_word_embeddings\n    if not ((v20 is True or v20 is False)):\n        v20 = _c1(problems, 'tie_word_embeddings', _c25, v20)\n    v21 = obj.vision_intermediate_size\n    if not (v21.__class__ is int and 1 <= v21 <= 1048576):\n        v21 = _c1(problems, 'vision_intermediate_size', _c26, v21)\n    v22 = obj.vision_out_hidden_size\n    if not (v22.__class__ is int and 0 <= v22 <= 262144):\n        v22 = _c1(problems, 'vision_out_hidden_size', _c27, v22)\n    v23 = obj.vision_spatial_merge_size\n    if not (v23.__class__ is int and 1 <= v23 <= 64):\n        v23 = _c1(problems, 'vision_spatial_merge_size', _c28, v23)\n    v24 = obj.vision_temporal_patch_size\n    if not (v24.__class__ is int and 1 <= v24 <= 64):\n        v24 = _c1(problems, 'vision_temporal_patch_size', _c29, v24)\n    v25 = obj.vision_in_channels\n    if not (v25.__class__ is int and 1 <= v25 <= 64):\n        v25 = _c1(problems, 'vision_in_channels', _c30, v25)\n    v26 = obj.vision_num_position_embeddings\n    if not (v26.__class__ is int and 1 <= v26 <= 1048576):\n        v26 = _c1(problems, 'vision_num_position_embeddings', _c31, v26)\n    v27 = obj.vision_hidden_act\n    if not (v27.__class__ is str and v27 in _c32):\n        v27 = _c1(problems, 'vision_hidden_act', _c33, v27)\n    v28 = obj.vision_deepstack_visual_indexes\n    v28 = _c1(problems, 'vision_deepstack_visual_indexes', _c34, v28)\n    v29 = obj.num_experts\n    if not (v29.__class__ is int and 0 <= v29 <= 1024):\n        v29 = _c1(problems, 'num_experts', _c35, v29)\n    v30 = obj.num_experts_per_tok\n    if not (v30.__class__ is int and 0 <= v30 <= 1024):\n        v30 = _c1(problems, 'num_experts_per_tok', _c36, v30)\n    v31 = obj.moe_intermediate_size\n    if not (v31.__class__ is int and 0 <= v31 <= 1048576):\n        v31 = _c1(problems, 'moe_intermediate_size', _c37, v31)\n    v32 = obj.decoder_sparse_step\n    if not (v32.__class__ is int and 1 <= v32 <= 1024):\n        v32 = _c1(problems, 'decoder_sparse_step', _c38, v32)\n    v33 = obj.mlp_only_layers\n    v33 = _c1(problems, 'mlp_only_layers', _c39, v33)\n    v34 = obj.norm_topk_prob\n    if not ((v34 is True or v34 is False)):\n        v34 = _c1(problems, 'norm_topk_prob', _c40, v34)\n    v35 = obj.image_token_id\n    if not (v35.__class__ is int and 0 <= v35 <= 16777215):\n        v35 = _c1(problems, 'image_token_id', _c41, v35)\n    v36 = obj.video_token_id\n    if not (v36.__class__ is int and 0 <= v36 <= 16777215):\n        v36 = _c1(problems, 'video_token_id', _c42, v36)\n    v37 = obj.vision_start_token_id\n    if not (v37.__class__ is int and 0 <= v37 <= 16777215):\n        v37 = _c1(problems, 'vision_start_token_id', _c43, v37)\n    v38 = obj.vision_end_token_id\n    if not (v38.__class__ is int and 0 <= v38 <= 16777215):\n        v38 = _c1(problems, 'vision_end_token_id', _c44, v38)\n    v39 = obj.optimization_level\n    if not (v39.__class__ is str and v39 in _c45):\n        v39 = _c1(problems, 'optimization_level', _c46, v39)\n    v40 = obj.hardware_target\n    if not (v40.__class__ is str and _c47(v40) is not None):\n        v40 = _c1(problems, 'hardware_target', _c48, v40)\n    v41 = obj.preserve_full_capacity\n    if not ((v41 is True or v41 is False)):\n        v41 = _c1(problems, 'preserve_full_capacity', _c49, v41)\n    v42 = obj.memory_config\n    if v42.__class__ is not _c50:\n        v42 = _c51(problems, 'memory_config', _c50, v42)\n    v43 = obj.cpu_config\n    if v43.__class__ is not _c52:\n        v43 = _c51(problems, 'cpu_config', _c52, v43)\n    v44 = obj.gpu_config\n    if v44.__class__ is not _c53:\n        v44 = _c51(problems, 'gpu_config', _c53, v44)\n    v45 = obj.power_management_config\n    if v45.__class__ is not _c54:\n        v45 = _c51(problems, 'power_management_config', _c54, v45)\n    v46 = obj.optimization_config\n    if v46.__class__ is not _c55:\n        v46 = _c51(problems, 'optimization_config', _c55, v46)\n    _c56(_c57, {'config_version': v0, 'num_hidden_layers': v1, 'num_attention_heads': v2, 'hidden_size': v3, 'intermediate_size': v4, 'vocab_size': v5, 'max_position_embeddings': v6, 'vision_num_hidden_layers': v7, 'vision_num_attention_heads': v8, 'vision_hidden_size': v9, 'vision_image_size': v10, 'vision_patch_size': v11, 'num_key_value_heads': v12, 'head_dim': v13, 'hidden_act': v14, 'rms_norm_eps': v15, 'rope_theta': v16, 'mrope_section': v17, 'mrope_interleaved': v18, 'attention_bias': v19, 'tie_word_embeddings': v20, 'vision_intermediate_size': v21, 'vision_out_hidden_size': v22, 'vision_spatial_merge_size': v23, 'vision_temporal_patch_size': v24, 'vision_in_channels': v25, 'vision_num_position_embeddings': v26, 'vision_hidden_act': v27, 'vision_deepstack_visual_indexes': v28, 'num_experts': v29, 'num_experts_per_tok': v30, 'moe_intermediate_size': v31, 'decoder_sparse_step': v32, 'mlp_only_layers': v33, 'norm_topk_prob': v34, 'image_token_id': v35, 'video_token_id': v36, 'vision_start_token_id': v37, 'vision_end_token_id': v38, 'optimization_level': v39, 'hardware_target': v40, 'preserve_full_capacity': v41, 'memory_config': v42, 'cpu_config': v43, 'gpu_config': v44, 'power_management_config': v45, 'optimization_config': v46}, problems)\n    return problems": _check_Qwen3VLConfig,
    'def replace(obj, changes):\n    new = _c0(_c1)\n    _c2(new, obj.config_version)\n    _c3(new, obj.num_hidden_layers)\n    _c4(new, obj.num_attention_heads)\n    _c5(new, obj.hidden_size)\n    _c6(new, obj.intermediate_size)\n    _c7(new, obj.vocab_size)\n    _c8(new, obj.max_position_embeddings)\n    _c9(new, obj.vision_num_hidden_layers)\n    _c10(new, obj.vision_num_attention_heads)\n    _c11(new, obj.vision_hidden_size)\n    _c12(new, obj.vision_image_size)\n    _c13(new, obj.vision_patch_size)\n    _c14(new, obj.num_key_value_heads)\n    _c15(new, obj.head_dim)\n    _c16(new, obj.hidden_act)\n    _c17(new, obj.rms_norm_eps)\n    _c18(new, obj.rope_theta)\n    _c19(new, obj.mrope_section)\n    _c20(new, obj.mrope_interleaved)\n    _c21(new, obj.attention_bias)\n    _c22(new, obj.tie_word_embeddings)\n    _c23(new, obj.vision_intermediate_size)\n    _c24(new, obj.vision_out_hidden_size)\n    _c25(new, obj.vision_spatial_merge_size)\n    _c26(new, obj.vision_temporal_patch_size)\n    _c27(new, obj.vision_in_channels)\n    _c28(new, obj.vision_num_position_embeddings)\n    _c29(new, obj.vision_hidden_act)\n    _c30(new, obj.vision_deepstack_visual_indexes)\n    _c31(new, obj.num_experts)\n    _c32(new, obj.num_experts_per_tok)\n    _c33(new, obj.moe_intermediate_size)\n    _c34(new, obj.decoder_sparse_step)\n    _c35(new, obj.mlp_only_layers)\n    _c36(new, obj.norm_topk_prob)\n    _c37(new, obj.image_token_id)\n    _c38(new, obj.video_token_id)\n    _c39(new, obj.vision_start_token_id)\n    _c40(new, obj.vision_end_token_id)\n    _c41(new, obj.optimization_level)\n    _c42(new, obj.hardware_target)\n    _c43(new, obj.preserve_full_capacity)\n    _c44(new, obj.memory_config)\n    _c45(new, obj.cpu_config)\n    _c46(new, obj.gpu_config)\n    _c47(new, obj.power_management_config)\n    _c48(new, obj.optimization_config)\n    for name, value in changes.items():\n        _c49(new, name, value)\n    return new': _replace_Qwen3VLConfig,
    "def structure(data):\n    if data.__class__ is not dict and not _c0(data, _c1):\n        _c2(data)\n    problems = []\n    get = data.get\n    v0 = get('memory_pool_size', _c3)\n    if v0 is _c3:\n        v0 = _c4\n    elif not (v0.__class__ is int and 0 <= v0 <= 1125899906842624):\n        v0 = _c6(problems, 'memory_pool_size', _c5, v0)\n    v1 = get('enable_memory_tiering', _c3)\n    if v1 is _c3:\n        v1 = _c7\n    elif not ((v1 is True or v1 is False)):\n        v1 = _c6(problems, 'enable_memory_tiering', _c8, v1)\n    v2 = get('gpu_memory_size', _c3)\n    if v2 is _c3:\n        v2 = _c9\n    elif not (v2.__class__ is int and 0 <= v2 <= 1125899906842624):\n        v2 = _c6(problems, 'gpu_memory_size', _c10, v2)\n    v3 = get('cpu_memory_size', _c3)\n    if v3 is _c3:\n        v3 = _c11\n    elif not (v3.__class__ is int and 1 <= v3 <= 1125899906842624):\n        v3 = _c6(problems, 'cpu_memory_size', _c12, v3)\n    v4 = get('ssd_memory_size', _c3)\n    if v4 is _c3:\n        v4 = _c13\n    elif not (v4.__class__ is int and 1 <= v4 <= 1125899906842624):\n        v4 = _c6(problems, 'ssd_memory_size', _c14, v4)\n    v5 = get('enable_memory_compression', _c3)\n    if v5 is _c3:\n        v5 = _c7\n    elif not ((v5 is True or v5 is False)):\n        v5 = _c6(problems, 'enable_memory_compression', _c15, v5)\n    v6 = get('compression_level', _c3)\n    if v6 is _c3:\n        v6 = _c16\n    elif not (v6.__class__ is str and v6 in _c17):\n        v6 = _c6(problems, 'compression_level', _c18, v6)\n    v7 = get('enable_memory_swapping', _c3)\n    if v7 is _c3:\n        v7 = _c7\n    elif not ((v7 is True or v7 is False)):\n        v7 = _c6(problems, 'enable_memory_swapping', _c19, v7)\n    v8 = get('swap_threshold', _c3)\n    if v8 is _c3:\n        v8 = _c20\n    elif not (v8.__class__ is float and v8 > _c21 and v8 <= _c22 and v8 != 0.0):\n        v8 = _c6(problems, 'swap_threshold', _c23, v8)\n    v9 = get('enable_memory_defragmentation', _c3)\n    if v9 is _c3:\n        v9 = _c7\n    elif not ((v9 is True or v9 is False)):\n        v9 = _c6(problems, 'enable_memory_defragmentation', _c24, v9)\n    if problems or not _c25.issuperset(data) or not _c26.issuperset(map(type, data)):\n        _c27(_c28, problems, data, {'memory_pool_size': v0, 'enable_memory_tiering': v1, 'gpu_memory_size': v2, 'cpu_memory_size': v3, 'ssd_memory_size': v4, 'enable_memory_compression': v5, 'compression_level': v6, 'enable_memory_swapping': v7, 'swap_threshold': v8, 'enable_memory_defragmentation': v9})\n    values = {'memory_pool_size': v0, 'enable_memory_tiering': v1, 'gpu_memory_size': v2, 'cpu_memory_size': v3, 'ssd_memory_size': v4, 'enable_memory_compression': v5, 'compression_level': v6, 'enable_memory_swapping': v7, 'swap_threshold': v8, 'enable_memory_defragmentation': v9}\n    problems = [*_c29(values)]\n    if problems:\n        raise _c30(problems)\n    obj = _c31(_c28)\n    _c32(obj, v0)\n    _c33(obj, v1)\n    _c34(obj, v2)\n    _c35(obj, v3)\n    _c36(obj, v4)\n    _c37(obj, v5)\n    _c38(obj, v6)\n    _c39(obj, v7)\n    _c40(obj, v8)\n    _c41(obj, v9)\n    return obj": _structure_MemoryConfig,
    "def check(obj):\n    problems = []\n    v0 = obj.memory_pool_size\n    if not (v0.__class__ is int and 0 <= v0 <= 1125899906842624):\n        v0 = _c1(problems, 'memory_pool_size', _c0, v0)\n    v1 = obj.enable_memory_tiering\n    if not ((v1 is True or v1 is False)):\n        v1 = _c1(problems, 'enable_memory_tiering', _c2, v1)\n    v2 = obj.gpu_memory_size\n    if not (v2.__class__ is int and 0 <= v2 <= 1125899906842624):\n        v2 = _c1(problems, 'gpu_memory_size', _c3, v2)\n    v3 = obj.cpu_memory_size\n    if not (v3.__class__ is int and 1 <= v3 <= 1125899906842624):\n        v3 = _c1(problems, 'cpu_memory_size', _c4, v3)\n    v4 = obj.ssd_memory_size\n    if not (v4.__class__ is int and 1 <= v4 <= 1125899906842624):\n        v4 = _c1(problems, 'ssd_memory_size', _c5, v4)\n    v5 = obj.enable_memory_compression\n    if not ((v5 is True or v5 is False)):\n        v5 = _c1(problems, 'enable_memory_compression', _c6, v5)\n    v6 = obj.compression_level\n    if not (v6.__class__ is str and v6 in _c7):\n        v6 = _c1(problems, 'compression_level', _c8, v6)\n    v7 = obj.enable_memory_swapping\n    if not ((v7 is True or v7 is False)):\n        v7 = _c1(problems, 'enable_memory_swapping', _c9, v7)\n    v8 = obj.swap_threshold\n    if not (v8.__class__ is float and v8 > _c10 and v8 <= _c11):\n        v8 = _c1(problems, 'swap_threshold', _c12, v8)\n    v9 = obj.enable_memory_defragmentation\n    if not ((v9 is True or v9 is False)):\n        v9 = _c1(problems, 'enable_memory_defragmentation', _c13, v9)\n    _c14(_c15, {'memory_pool_size': v0, 'enable_memory_tiering': v1, 'gpu_memory_size': v2, 'cpu_memory_size': v3, 'ssd_memory_size': v4, 'enable_memory_compression': v5, 'compression_level': v6, 'enable_memory_swapping': v7, 'swap_threshold': v8, 'enable_memory_defragmentation': v9}, problems)\n    return problems": _check_MemoryConfig,
    'def replace(obj, changes):\n    new = _c0(_c1)\n    _c2(new, obj.memory_pool_size)\n    _c3(new, obj.enable_memory_tiering)\n    _c4(new, obj.gpu_memory_size)\n    _c5(new, obj.cpu_memory_size)\n    _c6(new, obj.ssd_memory_size)\n    _c7(new, obj.enable_memory_compression)\n    _c8(new, obj.compression_level)\n    _c9(new, obj.enable_memory_swapping)\n    _c10(new, obj.swap_threshold)\n    _c11(new, obj.enable_memory_defragmentation)\n    for name, value in changes.items():\n        _c12(new, name, value)\n    return new': _replace_MemoryConfig,
    "def structure(data):\n    if data.__class__ is not dict and not _c0(data, _c1):\n        _c2(data)\n    problems = []\n    get = data.get\n    v0 = get('num_threads', _c3)\n    if v0 is _c3:\n        v0 = _c4\n    elif not (v0.__class__ is int and 1 <= v0 <= 4096):\n        v0 = _c6(problems, 'num_threads', _c5, v0)\n    v1 = get('num_workers', _c3)\n    if v1 is _c3:\n        v1 = _c4\n    elif not (v1.__class__ is int and 0 <= v1 <= 4096):\n        v1 = _c6(problems, 'num_workers', _c7, v1)\n    v2 = get('l1_cache_size', _c3)\n    if v2 is _c3:\n        v2 = _c8\n    elif not (v2.__class__ is int and 1 <= v2 <= 1073741824):\n        v2 = _c6(problems, 'l1_cache_size', _c9, v2)\n    v3 = get('l2_cache_size', _c3)\n    if v3 is _c3:\n        v3 = _c10\n    elif not (v3.__class__ is int and 1 <= v3 <= 1073741824):\n        v3 = _c6(problems, 'l2_cache_size', _c11, v3)\n    v4 = get('l3_cache_size', _c3)\n    if v4 is _c3:\n        v4 = _c12\n    elif not (v4.__class__ is int and 1 <= v4 <= 1073741824):\n        v4 = _c6(problems, 'l3_cache_size', _c13, v4)\n    v5 = get('enable_cpu_optimizations', _c3)\n    if v5 is _c3:\n        v5 = _c14\n    elif not ((v5 is True or v5 is False)):\n        v5 = _c6(problems, 'enable_cpu_optimizations', _c15, v5)\n    v6 = get('use_hyperthreading', _c3)\n    if v6 is _c3:\n        v6 = _c14\n    elif not ((v6 is True or v6 is False)):\n        v6 = _c6(problems, 'use_hyperthreading', _c16, v6)\n    v7 = get('enable_simd_optimizations', _c3)\n    if v7 is _c3:\n        v7 = _c14\n    elif not ((v7 is True or v7 is False)):\n        v7 = _c6(problems, 'enable_simd_optimizations', _c17, v7)\n    v8 = get('simd_instruction_set', _c3)\n    if v8 is _c3:\n        v8 = _c18\n    elif not (v8.__class__ is str and v8 in _c19):\n        v8 = _c6(problems, 'simd_instruction_set', _c20, v8)\n    if problems or not _c21.issuperset(data) or not _c22.issuperset(map(type, data)):\n        _c23(_c24, problems, data, {'num_threads': v0, 'num_workers': v1, 'l1_cache_size': v2, 'l2_cache_size': v3, 'l3_cache_size': v4, 'enable_cpu_optimizations': v5, 'use_hyperthreading': v6, 'enable_simd_optimizations': v7, 'simd_instruction_set': v8})\n    values = {'num_threads': v0, 'num_workers': v1, 'l1_cache_size': v2, 'l2_cache_size': v3, 'l3_cache_size': v4, 'enable_cpu_optimizations': v5, 'use_hyperthreading': v6, 'enable_simd_optimizations': v7, 'simd_instruction_set': v8}\n    problems = [*_c25(values)]\n    if problems:\n        raise _c26(problems)\n    obj = _c27(_c24)\n    _c28(obj, v0)\n    _c29(obj, v1)\n    _c30(obj, v2)\n    _c31(obj, v3)\n    _c32(obj, v4)\n    _c33(obj, v5)\n    _c34(obj, v6)\n    _c35(obj, v7)\n    _c36(obj, v8)\n    return obj": _structure_CPUConfig,
    "def check(obj):\n    problems = []\n    v0 = obj.num_threads\n    if not (v0.__class__ is int and 1 <= v0 <= 4096):\n        v0 = _c1(problems, 'num_threads', _c0, v0)\n    v1 = obj.num_workers\n    if not (v1.__class__ is int and 0 <= v1 <= 4096):\n        v1 = _c1(problems, 'num_workers', _c2, v1)\n    v2 = obj.l1_cache_size\n    if not (v2.__class__ is int and 1 <= v2 <= 1073741824):\n        v2 = _c1(problems, 'l1_cache_size', _c3, v2)\n    v3 = obj.l2_cache_size\n    if not (v3.__class__ is int and 1 <= v3 <= 1073741824):\n        v3 = _c1(problems, 'l2_cache_size', _c4, v3)\n    v4 = obj.l3_cache_size\n    if not (v4.__class__ is int and 1 <= v4 <= 1073741824):\n        v4 = _c1(problems, 'l3_cache_size', _c5, v4)\n    v5 = obj.enable_cpu_optimizations\n    if not ((v5 is True or v5 is False)):\n        v5 = _c1(problems, 'enable_cpu_optimizations', _c6, v5)\n    v6 = obj.use_hyperthreading\n    if not ((v6 is True or v6 is False)):\n        v6 = _c1(problems, 'use_hyperthreading', _c7, v6)\n    v7 = obj.enable_simd_optimizations\n    if not ((v7 is True or v7 is False)):\n        v7 = _c1(problems, 'enable_simd_optimizations', _c8, v7)\n    v8 = obj.simd_instruction_set\n    if not (v8.__class__ is str and v8 in _c9):\n        v8 = _c1(problems, 'simd_instruction_set', _c10, v8)\n    _c11(_c12, {'num_threads': v0, 'num_workers': v1, 'l1_cache_size': v2, 'l2_cache_size': v3, 'l3_cache_size': v4, 'enable_cpu_optimizations': v5, 'use_hyperthreading': v6, 'enable_simd_optimizations': v7, 'simd_instruction_set': v8}, problems)\n    return problems": _check_CPUConfig,
    'def replace(obj, changes):\n    new = _c0(_c1)\n    _c2(new, obj.num_threads)\n    _c3(new, obj.num_workers)\n    _c4(new, obj.l1_cache_size)\n    _c5(new, obj.l2_cache_size)\n    _c6(new, obj.l3_cache_size)\n    _c7(new, obj.enable_cpu_optimizations)\n    _c8(new, obj.use_hyperthreading)\n    _c9(new, obj.enable_simd_optimizations)\n    _c10(new, obj.simd_instruction_set)\n    for name, value in changes.items():\n        _c11(new, name, value)\n    return new': _replace_CPUConfig,
    "def structure(data):\n    if data.__class__ is not dict and not _c0(data, _c1):\n        _c2(data)\n    problems = []\n    get = data.get\n    v0 = get('gpu_compute_capability', _c3)\n    if v0 is _c3:\n        v0 = _c4\n    elif not (v0.__class__ is tuple and len(v0) == 2 and v0[0].__class__ is int and v0[1].__class__ is int and 1 <= v0[0] <= 15 and 0 <= v0[1] <= 9):\n        v0 = _c6(problems, 'gpu_compute_capability', _c5, v0)\n    v1 = get('max_threads_per_block', _c3)\n    if v1 is _c3:\n        v1 = _c7\n    elif not (v1.__class__ is int and 32 <= v1 <= 1024):\n        v1 = _c6(problems, 'max_threads_per_block', _c8, v1)\n    v2 = get('shared_memory_per_block', _c3)\n    if v2 is _c3:\n        v2 = _c9\n    elif not (v2.__class__ is int and 1 <= v2 <= 1048576):\n        v2 = _c6(problems, 'shared_memory_per_block', _c10, v2)\n    v3 = get('memory_bandwidth_gbps', _c3)\n    if v3 is _c3:\n        v3 = _c11\n    elif not (v3.__class__ is float and v3 > _c12 and v3 <= _c13 and v3 != 0.0):\n        v3 = _c6(problems, 'memory_bandwidth_gbps', _c14, v3)\n    v4 = get('enable_gpu_optimizations', _c3)\n    if v4 is _c3:\n        v4 = _c15\n    elif not ((v4 is True or v4 is False)):\n        v4 = _c6(problems, 'enable_gpu_optimizations', _c16, v4)\n    v5 = get('use_tensor_cores', _c3)\n    if v5 is _c3:\n        v5 = _c15\n    elif not ((v5 is True or v5 is False)):\n        v5 = _c6(problems, 'use_tensor_cores', _c17, v5)\n    v6 = get('use_mixed_precision', _c3)\n    if v6 is _c3:\n        v6 = _c15\n    elif not ((v6 is True or v6 is False)):\n        v6 = _c6(problems, 'use_mixed_precision', _c18, v6)\n    v7 = get('attention_implementation', _c3)\n    if v7 is _c3:\n        v7 = _c19\n    elif not (v7.__class__ is str and v7 in _c20):\n        v7 = _c6(problems, 'attention_implementation', _c21, v7)\n    if problems or not _c22.issuperset(data) or not _c23.issuperset(map(type, data)):\n        _c24(_c25, problems, data, {'gpu_compute_capability': v0, 'max_threads_per_block': v1, 'shared_memory_per_block': v2, 'memory_bandwidth_gbps': v3, 'enable_gpu_optimizations': v4, 'use_tensor_cores': v5, 'use_mixed_precision': v6, 'attention_implementation': v7})\n    obj = _c26(_c25)\n    _c27(obj, v0)\n    _c28(obj, v1)\n    _c29(obj, v2)\n    _c30(obj, v3)\n    _c31(obj, v4)\n    _c32(obj, v5)\n    _c33(obj, v6)\n    _c34(obj, v7)\n    return obj": _structure_GPUConfig,
    "def check(obj):\n    problems = []\n    v0 = obj.gpu_compute_capability\n    if not (v0.__class__ is tuple and len(v0) == 2 and v0[0].__class__ is int and v0[1].__class__ is int and 1 <= v0[0] <= 15 and 0 <= v0[1] <= 9):\n        v0 = _c1(problems, 'gpu_compute_capability', _c0, v0)\n    v1 = obj.max_threads_per_block\n    if not (v1.__class__ is int and 32 <= v1 <= 1024):\n        v1 = _c1(problems, 'max_threads_per_block', _c2, v1)\n    v2 = obj.shared_memory_per_block\n    if not (v2.__class__ is int and 1 <= v2 <= 1048576):\n        v2 = _c1(problems, 'shared_memory_per_block', _c3, v2)\n    v3 = obj.memory_bandwidth_gbps\n    if not (v3.__class__ is float and v3 > _c4 and v3 <= _c5):\n        v3 = _c1(problems, 'memory_bandwidth_gbps', _c6, v3)\n    v4 = obj.enable_gpu_optimizations\n    if not ((v4 is True or v4 is False)):\n        v4 = _c1(problems, 'enable_gpu_optimizations', _c7, v4)\n    v5 = obj.use_tensor_cores\n    if not ((v5 is True or v5 is False)):\n        v5 = _c1(problems, 'use_tensor_cores', _c8, v5)\n    v6 = obj.use_mixed_precision\n    if not ((v6 is True or v6 is False)):\n        v6 = _c1(problems, 'use_mixed_precision', _c9, v6)\n    v7 = obj.attention_implementation\n    if not (v7.__class__ is str and v7 in _c10):\n        v7 = _c1(problems, 'attention_implementation', _c11, v7)\n    return problems": _check_GPUConfig,
    'def replace(obj, changes):\n    new = _c0(_c1)\n    _c2(new, obj.gpu_compute_capability)\n    _c3(new, obj.max_threads_per_block)\n    _c4(new, obj.shared_memory_per_block)\n    _c5(new, obj.memory_bandwidth_gbps)\n    _c6(new, obj.enable_gpu_optimizations)\n    _c7(new, obj.use_tensor_cores)\n    _c8(new, obj.use_mixed_precision)\n    _c9(new, obj.attention_implementation)\n    for name, value in changes.items():\n        _c10(new, name, value)\n    return new': _replace_GPUConfig,
    "def structure(data):\n    if data.__class__ is not dict and not _c0(data, _c1):\n        _c2(data)\n    problems = []\n    get = data.get\n    v0 = get('enable_power_optimization', _c3)\n    if v0 is _c3:\n        v0 = _c4\n    elif not ((v0 is True or v0 is False)):\n        v0 = _c6(problems, 'enable_power_optimization', _c5, v0)\n    v1 = get('power_constraint', _c3)\n    if v1 is _c3:\n        v1 = _c7\n    elif not (v1.__class__ is float and v1 > _c8 and v1 <= _c9 and v1 != 0.0):\n        v1 = _c6(problems, 'power_constraint', _c10, v1)\n    v2 = get('thermal_constraint', _c3)\n    if v2 is _c3:\n        v2 = _c11\n    elif not (v2.__class__ is float and v2 > _c8 and v2 <= _c12 and v2 != 0.0):\n        v2 = _c6(problems, 'thermal_constraint', _c13, v2)\n    v3 = get('performance_target', _c3)\n    if v3 is _c3:\n        v3 = _c14\n    elif not (v3.__class__ is float and v3 > _c8 and v3 <= _c9 and v3 != 0.0):\n        v3 = _c6(problems, 'performance_target', _c15, v3)\n    v4 = get('adaptation_frequency', _c3)\n    if v4 is _c3:\n        v4 = _c9\n    elif not (v4.__class__ is float and v4 > _c8 and v4 <= _c16 and v4 != 0.0):\n        v4 = _c6(problems, 'adaptation_frequency', _c17, v4)\n    if problems or not _c18.issuperset(data) or not _c19.issuperset(map(type, data)):\n        _c20(_c21, problems, data, {'enable_power_optimization': v0, 'power_constraint': v1, 'thermal_constraint': v2, 'performance_target': v3, 'adaptation_frequency': v4})\n    obj = _c22(_c21)\n    _c23(obj, v0)\n    _c24(obj, v1)\n    _c25(obj, v2)\n    _c26(obj, v3)\n    _c27(obj, v4)\n    return obj": _structure_PowerManagementConfig,
    "def check(obj):\n    problems = []\n    v0 = obj.enable_power_optimization\n    if not ((v0 is True or v0 is False)):\n        v0 = _c1(problems, 'enable_power_optimization', _c0, v0)\n    v1 = obj.power_constraint\n    if not (v1.__class__ is float and v1 > _c2 and v1 <= _c3):\n        v1 = _c1(problems, 'power_constraint', _c4, v1)\n    v2 = obj.thermal_constraint\n    if not (v2.__class__ is float and v2 > _c2 and v2 <= _c5):\n        v2 = _c1(problems, 'thermal_constraint', _c6, v2)\n    v3 = obj.performance_target\n    if not (v3.__class__ is float and v3 > _c2 and v3 <= _c3):\n        v3 = _c1(problems, 'performance_target', _c7, v3)\n    v4 = obj.adaptation_frequency\n    if not (v4.__class__ is float and v4 > _c2 and v4 <= _c8):\n        v4 = _c1(problems, 'adaptation_frequency', _c9, v4)\n    return problems": _check_PowerManagementConfig,
    'def replace(obj, changes):\n    new = _c0(_c1)\n    _c2(new, obj.enable_power_optimization)\n    _c3(new, obj.power_constraint)\n    _c4(new, obj.thermal_constraint)\n    _c5(new, obj.performance_target)\n    _c6(new, obj.adaptation_frequency)\n    for name, value in changes.items():\n        _c7(new, name, value)\n    return new': _replace_PowerManagementConfig,
    "def structure(data):\n    if data.__class__ is not dict and not _c0(data, _c1):\n        _c2(data)\n    problems = []\n    get = data.get\n    v0 = get('use_memory_pooling', _c3)\n    if v0 is _c3:\n        v0 = _c4\n    elif not ((v0 is True or v0 is False)):\n        v0 = _c6(problems, 'use_memory_pooling', _c5, v0)\n    v1 = get('use_hierarchical_memory_compression', _c3)\n    if v1 is _c3:\n        v1 = _c4\n    elif not ((v1 is True or v1 is False)):\n        v1 = _c6(problems, 'use_hierarchical_memory_compression', _c7, v1)\n    v2 = get('use_memory_efficient_attention', _c3)\n    if v2 is _c3:\n        v2 = _c4\n    elif not ((v2 is True or v2 is False)):\n        v2 = _c6(problems, 'use_memory_efficient_attention', _c8, v2)\n    v3 = get('use_sparsity', _c3)\n    if v3 is _c3:\n        v3 = _c4\n    elif not ((v3 is True or v3 is False)):\n        v3 = _c6(problems, 'use_sparsity', _c9, v3)\n    v4 = get('sparsity_ratio', _c3)\n    if v4 is _c3:\n        v4 = _c10\n    elif not (v4.__class__ is float and v4 >= _c11 and v4 < _c12 and v4 != 0.0):\n        v4 = _c6(problems, 'sparsity_ratio', _c13, v4)\n    v5 = get('use_dynamic_sparse_attention', _c3)\n    if v5 is _c3:\n        v5 = _c4\n    elif not ((v5 is True or v5 is False)):\n        v5 = _c6(problems, 'use_dynamic_sparse_attention', _c14, v5)\n    v6 = get('use_adaptive_precision', _c3)\n    if v6 is _c3:\n        v6 = _c4\n    elif not ((v6 is True or v6 is False)):\n        v6 = _c6(problems, 'use_adaptive_precision', _c15, v6)\n    v7 = get('use_moe', _c3)\n    if v7 is _c3:\n        v7 = _c4\n    elif not ((v7 is True or v7 is False)):\n        v7 = _c6(problems, 'use_moe', _c16, v7)\n    v8 = get('moe_num_experts', _c3)\n    if v8 is _c3:\n        v8 = _c17\n    elif not (v8.__class__ is int and 2 <= v8 <= 1024):\n        v8 = _c6(problems, 'moe_num_experts', _c18, v8)\n    v9 = get('moe_top_k', _c3)\n    if v9 is _c3:\n        v9 = _c19\n    elif not (v9.__class__ is int and 1 <= v9 <= 1024):\n        v9 = _c6(problems, 'moe_top_k', _c20, v9)\n    v10 = get('use_flash_attention_2', _c3)\n    if v10 is _c3:\n        v10 = _c4\n    elif not ((v10 is True or v10 is False)):\n        v10 = _c6(problems, 'use_flash_attention_2', _c21, v10)\n    v11 = get('use_adaptive_depth', _c3)\n    if v11 is _c3:\n        v11 = _c4\n    elif not ((v11 is True or v11 is False)):\n        v11 = _c6(problems, 'use_adaptive_depth', _c22, v11)\n    v12 = get('use_gradient_checkpointing', _c3)\n    if v12 is _c3:\n        v12 = _c4\n    elif not ((v12 is True or v12 is False)):\n        v12 = _c6(problems, 'use_gradient_checkpointing', _c23, v12)\n    v13 = get('use_context_adaptive_positional_encoding', _c3)\n    if v13 is _c3:\n        v13 = _c4\n    elif not ((v13 is True or v13 is False)):\n        v13 = _c6(problems, 'use_context_adaptive_positional_encoding', _c24, v13)\n    v14 = get('use_conditional_feature_extraction', _c3)\n    if v14 is _c3:\n        v14 = _c4\n    elif not ((v14 is True or v14 is False)):\n        v14 = _c6(problems, 'use_conditional_feature_extraction', _c25, v14)\n    v15 = get('use_cross_modal_compression', _c3)\n    if v15 is _c3:\n        v15 = _c4\n    elif not ((v15 is True or v15 is False)):\n        v15 = _c6(problems, 'use_cross_modal_compression', _c26, v15)\n    v16 = get('use_cross_layer_memory_sharing', _c3)\n    if v16 is _c3:\n        v16 = _c4\n    elif not ((v16 is True or v16 is False)):\n        v16 = _c6(problems, 'use_cross_layer_memory_sharing', _c27, v16)\n    v17 = get('use_hierarchical_vision', _c3)\n    if v17 is _c3:\n        v17 = _c4\n    elif not ((v17 is True or v17 is False)):\n        v17 = _c6(problems, 'use_hierarchical_vision', _c28, v17)\n    v18 = get('use_learned_activation_routing', _c3)\n    if v18 is _c3:\n        v18 = _c4\n    elif not ((v18 is True or v18 is False)):\n        v18 = _c6(problems, 'use_learned_activation_routing', _c29, v18)\n    v19 = get('use_adaptive_batch_processing', _c3)\n    if v19 is _c3:\n        v19 = _c4\n    elif not ((v19 is True or v19 is False)):\n        v19 = _c6(problems, 'use_adaptive_batch_processing', _c30, v19)\n    v20 = get('use_adaptive_sequence_packing', _c3)\n    if v20 is _c3:\n        v20 = _c4\n    elif not ((v20 is True or v20 is False)):\n        v20 = _c6(problems, 'use_adaptive_sequence_packing', _c31, v20)\n    v21 = get('use_memory_efficient_grad_accumulation', _c3)\n    if v21 is _c3:\n        v21 = _c4\n    elif not ((v21 is True or v21 is False)):\n        v21 = _c6(problems, 'use_memory_efficient_grad_accumulation', _c32, v21)\n    v22 = get('use_faster_rotary_embeddings', _c3)\n    if v22 is _c3:\n        v22 = _c4\n    elif not ((v22 is True or v22 is False)):\n        v22 = _c6(problems, 'use_faster_rotary_embeddings', _c33, v22)\n    v23 = get('use_hardware_specific_kernels', _c3)\n    if v23 is _c3:\n        v23 = _c4\n    elif not ((v23 is True or v23 is False)):\n        v23 = _c6(problems, 'use_hardware_specific_kernels', _c34, v23)\n    if problems or not _c35.issuperset(data) or not _c36.issuperset(map(type, data)):\n        _c37(_c38, problems, data, {'use_memory_pooling': v0, 'use_hierarchical_memory_compression': v1, 'use_memory_efficient_attention': v2, 'use_sparsity': v3, 'sparsity_ratio': v4, 'use_dynamic_sparse_attention': v5, 'use_adaptive_precision': v6, 'use_moe': v7, 'moe_num_experts': v8, 'moe_top_k': v9, 'use_flash_attention_2': v10, 'use_adaptive_depth': v11, 'use_gradient_checkpointing': v12, 'use_context_adaptive_positional_encoding': v13, 'use_conditional_feature_extraction': v14, 'use_cross_modal_compression': v15, 'use_cross_layer_memory_sharing': v16, 'use_hierarchical_vision': v17, 'use_learned_activation_routing': v18, 'use_adaptive_batch_processing': v19, 'use_adaptive_sequence_packing': v20, 'use_memory_efficient_grad_accumulation': v21, 'use_faster_rotary_embeddings': v22, 'use_hardware_specific_kernels': v23})\n    values = {'use_memory_pooling': v0, 'use_hierarchical_memory_compression': v1, 'use_memory_efficient_attention': v2, 'use_sparsity': v3, 'sparsity_ratio': v4, 'use_dynamic_sparse_attention': v5, 'use_adaptive_precision': v6, 'use_moe': v7, 'moe_num_experts': v8, 'moe_top_k': v9, 'use_flash_attention_2': v10, 'use_adaptive_depth': v11, 'use_gradient_checkpointing': v12, 'use_context_adaptive_positional_encoding': v13, 'use_conditional_feature_extraction': v14, 'use_cross_modal_compression': v15, 'use_cross_layer_memory_sharing': v16, 'use_hierarchical_vision': v17, 'use_learned_activation_routing': v18, 'use_adaptive_batch_processing': v19, 'use_adaptive_sequence_packing': v20, 'use_memory_efficient_grad_accumulation': v21, 'use_faster_rotary_embeddings': v22, 'use_hardware_specific_kernels': v23}\n    problems = [*_c39(values)]\n    if problems:\n        raise _c40(problems)\n    obj = _c41(_c38)\n    _c42(obj, v0)\n    _c43(obj, v1)\n    _c44(obj, v2)\n    _c45(obj, v3)\n    _c46(obj, v4)\n    _c47(obj, v5)\n    _c48(obj, v6)\n    _c49(obj, v7)\n    _c50(obj, v8)\n    _c51(obj, v9)\n    _c52(obj, v10)\n    _c53(obj, v11)\n    _c54(obj, v12)\n    _c55(obj, v13)\n    _c56(obj, v14)\n    _c57(obj, v15)\n    _c58(obj, v16)\n    _c59(obj, v17)\n    _c60(obj, v18)\n    _c61(obj, v19)\n    _c62(obj, v20)\n    _c63(obj, v21)\n    _c64(obj, v22)\n    _c65(obj, v23)\n    return obj": _structure_OptimizationConfig,
    "def check(obj):\n    problems = []\n    v0 = obj.use_memory_pooling\n    if not ((v0 is True or v0 is False)):\n        v0 = _c1(problems, 'use_memory_pooling', _c0, v0)\n    v1 = obj.use_hierarchical_memory_compression\n    if not ((v1 is True or v1 is False)):\n        v1 = _c1(problems, 'use_hierarchical_memory_compression', _c2, v1)\n    v2 = obj.use_memory_efficient_attention\n    if not ((v2 is True or v2 is False)):\n        v2 = _c1(problems, 'use_memory_efficient_attention', _c3, v2)\n    v3 = obj.use_sparsity\n    if not ((v3 is True or v3 is False)):\n        v3 = _c1(problems, 'use_sparsity', _c4, v3)\n    v4 = obj.sparsity_ratio\n    if not (v4.__class__ is float and v4 >= _c5 and v4 < _c6):\n        v4 = _c1(problems, 'sparsity_ratio', _c7, v4)\n    v5 = obj.use_dynamic_sparse_attention\n    if not ((v5 is True or v5 is False)):\n        v5 = _c1(problems, 'use_dynamic_sparse_attention', _c8, v5)\n    v6 = obj.use_adaptive_precision\n    if not ((v6 is True or v6 is False)):\n        v6 = _c1(problems, 'use_adaptive_precision', _c9, v6)\n    v7 = obj.use_moe\n    if not ((v7 is True or v7 is False)):\n        v7 = _c1(problems, 'use_moe', _c10, v7)\n    v8 = obj.moe_num_experts\n    if not (v8.__class__ is int and 2 <= v8 <= 1024):\n        v8 = _c1(problems, 'moe_num_experts', _c11, v8)\n    v9 = obj.moe_top_k\n    if not (v9.__class__ is int and 1 <= v9 <= 1024):\n        v9 = _c1(problems, 'moe_top_k', _c12, v9)\n    v10 = obj.use_flash_attention_2\n    if not ((v10 is True or v10 is False)):\n        v10 = _c1(problems, 'use_flash_attention_2', _c13, v10)\n    v11 = obj.use_adaptive_depth\n    if not ((v11 is True or v11 is False)):\n        v11 = _c1(problems, 'use_adaptive_depth', _c14, v11)\n    v12 = obj.use_gradient_checkpointing\n    if not ((v12 is True or v12 is False)):\n        v12 = _c1(problems, 'use_gradient_checkpointing', _c15, v12)\n    v13 = obj.use_context_adaptive_positional_encoding\n    if not ((v13 is True or v13 is False)):\n        v13 = _c1(problems, 'use_context_adaptive_positional_encoding', _c16, v13)\n    v14 = obj.use_conditional_feature_extraction\n    if not ((v14 is True or v14 is False)):\n        v14 = _c1(problems, 'use_conditional_feature_extraction', _c17, v14)\n    v15 = obj.use_cross_modal_compression\n    if not ((v15 is True or v15 is False)):\n        v15 = _c1(problems, 'use_cross_modal_compression', _c18, v15)\n    v16 = obj.use_cross_layer_memory_sharing\n    if not ((v16 is True or v16 is False)):\n        v16 = _c1(problems, 'use_cross_layer_memory_sharing', _c19, v16)\n    v17 = obj.use_hierarchical_vision\n    if not ((v17 is True or v17 is False)):\n        v17 = _c1(problems, 'use_hierarchical_vision', _c20, v17)\n    v18 = obj.use_learned_activation_routing\n    if not ((v18 is True or v18 is False)):\n        v18 = _c1(problems, 'use_learned_activation_routing', _c21, v18)\n    v19 = obj.use_adaptive_batch_processing\n    if not ((v19 is True or v19 is False)):\n        v19 = _c1(problems, 'use_adaptive_batch_processing', _c22, v19)\n    v20 = obj.use_adaptive_sequence_packing\n    if not ((v20 is True or v20 is False)):\n        v20 = _c1(problems, 'use_adaptive_sequence_packing', _c23, v20)\n    v21 = obj.use_memory_efficient_grad_accumulation\n    if not ((v21 is True or v21 is False)):\n        v21 = _c1(problems, 'use_memory_efficient_grad_accumulation', _c24, v21)\n    v22 = obj.use_faster_rotary_embeddings\n    if not ((v22 is True or v22 is False)):\n        v22 = _c1(problems, 'use_faster_rotary_embeddings', _c25, v22)\n    v23 = obj.use_hardware_specific_kernels\n    if not ((v23 is True or v23 is False)):\n        v23 = _c1(problems, 'use_hardware_specific_kernels', _c26, v23)\n    _c27(_c28, {'use_memory_pooling': v0, 'use_hierarchical_memory_compression': v1, 'use_memory_efficient_attention': v2, 'use_sparsity': v3, 'sparsity_ratio': v4, 'use_dynamic_sparse_attention': v5, 'use_adaptive_precision': v6, 'use_moe': v7, 'moe_num_experts': v8, 'moe_top_k': v9, 'use_flash_attention_2': v10, 'use_adaptive_depth': v11, 'use_gradient_checkpointing': v12, 'use_context_adaptive_positional_encoding': v13, 'use_conditional_feature_extraction': v14, 'use_cross_modal_compression': v15, 'use_cross_layer_memory_sharing': v16, 'use_hierarchical_vision': v17, 'use_learned_activation_routing': v18, 'use_adaptive_batch_processing': v19, 'use_adaptive_sequence_packing': v20, 'use_memory_efficient_grad_accumulation': v21, 'use_faster_rotary_embeddings': v22, 'use_hardware_specific_kernels': v23}, problems)\n    return problems": _check_OptimizationConfig,
    'def replace(obj, changes):\n    new = _c0(_c1)\n    _c2(new, obj.use_memory_pooling)\n    _c3(new, obj.use_hierarchical_memory_compression)\n    _c4(new, obj.use_memory_efficient_attention)\n    _c5(new, obj.use_sparsity)\n    _c6(new, obj.sparsity_ratio)\n    _c7(new, obj.use_dynamic_sparse_attention)\n    _c8(new, obj.use_adaptive_precision)\n    _c9(new, obj.use_moe)\n    _c10(new, obj.moe_num_experts)\n    _c11(new, obj.moe_top_k)\n    _c12(new, obj.use_flash_attention_2)\n    _c13(new, obj.use_adaptive_depth)\n    _c14(new, obj.use_gradient_checkpointing)\n    _c15(new, obj.use_context_adaptive_positional_encoding)\n    _c16(new, obj.use_conditional_feature_extraction)\n    _c17(new, obj.use_cross_modal_compression)\n    _c18(new, obj.use_cross_layer_memory_sharing)\n    _c19(new, obj.use_hierarchical_vision)\n    _c20(new, obj.use_learned_activation_routing)\n    _c21(new, obj.use_adaptive_batch_processing)\n    _c22(new, obj.use_adaptive_sequence_packing)\n    _c23(new, obj.use_memory_efficient_grad_accumulation)\n    _c24(new, obj.use_faster_rotary_embeddings)\n    _c25(new, obj.use_hardware_specific_kernels)\n    for name, value in changes.items():\n        _c26(new, name, value)\n    return new': _replace_OptimizationConfig,
}
