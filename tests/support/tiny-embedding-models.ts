/**
 * Tiny embedding models written from scratch for tests: a model2vec folder (tokenizer.json +
 * model.safetensors + config.json) and a transformers.js ONNX folder (config.json, tokenizer
 * files, onnx/model.onnx encoded by hand as protobuf). Their weights are hand-set, so they
 * exercise the loading and pooling plumbing only; they say nothing about embedding quality.
 *
 * Every word of {@link TINY_VOCABULARY} gets its own axis (a one-hot row), special tokens get
 * zero rows: after mean pooling, two texts are similar exactly when they share words.
 */
import fs from 'node:fs';
import path from 'node:path';

/** The words the tiny models know; anything else becomes [UNK]. */
export const TINY_VOCABULARY = [
	'neural',
	'network',
	'networks',
	'deep',
	'learning',
	'language',
	'model',
	'models',
	'protein',
	'folding',
	'molecule',
	'graph',
	'retrieval',
	'search',
	'quantum',
	'circuit'
] as const;

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/** Token ids in vocabulary order: specials first, then the words. */
function vocabulary(): Map<string, number> {
	const vocab = new Map<string, number>();
	for (const token of [...SPECIAL_TOKENS, ...TINY_VOCABULARY]) vocab.set(token, vocab.size);
	return vocab;
}

/** Options of the tiny models. */
export interface TinyModelOptions {
	/** Vector width (at least the vocabulary size); default the vocabulary size. */
	dims?: number;
	/** Hand-made synonyms: each key word gets the same row as its value word. */
	synonyms?: Partial<Record<TinyWord, TinyWord>>;
}

export type TinyWord = (typeof TINY_VOCABULARY)[number];

/** The embedding matrix: zero rows for specials, word i on axis i (dims ≥ vocabulary size). */
export function tinyEmbeddingMatrix(options: TinyModelOptions = {}): Float32Array {
	const dims = options.dims ?? TINY_VOCABULARY.length;
	if (dims < TINY_VOCABULARY.length) throw new Error(`dims must be ≥ ${TINY_VOCABULARY.length}`);
	const rows = SPECIAL_TOKENS.length + TINY_VOCABULARY.length;
	const matrix = new Float32Array(rows * dims);
	TINY_VOCABULARY.forEach((word, i) => {
		const synonym = options.synonyms?.[word];
		const axis = synonym ? TINY_VOCABULARY.indexOf(synonym) : i;
		matrix[(SPECIAL_TOKENS.length + i) * dims + axis] = 1;
	});
	return matrix;
}

/** A BERT-style WordPiece tokenizer.json (lower-casing normalizer, [CLS] … [SEP] template). */
export function tinyTokenizerJson(): object {
	const vocab = vocabulary();
	const special = (token: string) => ({
		id: vocab.get(token),
		content: token,
		single_word: false,
		lstrip: false,
		rstrip: false,
		normalized: false,
		special: true
	});
	return {
		version: '1.0',
		truncation: null,
		padding: null,
		added_tokens: SPECIAL_TOKENS.map(special),
		normalizer: {
			type: 'BertNormalizer',
			clean_text: true,
			handle_chinese_chars: true,
			strip_accents: null,
			lowercase: true
		},
		pre_tokenizer: { type: 'BertPreTokenizer' },
		post_processor: {
			type: 'TemplateProcessing',
			single: [
				{ SpecialToken: { id: '[CLS]', type_id: 0 } },
				{ Sequence: { id: 'A', type_id: 0 } },
				{ SpecialToken: { id: '[SEP]', type_id: 0 } }
			],
			pair: [
				{ SpecialToken: { id: '[CLS]', type_id: 0 } },
				{ Sequence: { id: 'A', type_id: 0 } },
				{ SpecialToken: { id: '[SEP]', type_id: 0 } },
				{ Sequence: { id: 'B', type_id: 1 } },
				{ SpecialToken: { id: '[SEP]', type_id: 1 } }
			],
			special_tokens: {
				'[CLS]': { id: '[CLS]', ids: [vocab.get('[CLS]')], tokens: ['[CLS]'] },
				'[SEP]': { id: '[SEP]', ids: [vocab.get('[SEP]')], tokens: ['[SEP]'] }
			}
		},
		decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
		model: {
			type: 'WordPiece',
			unk_token: '[UNK]',
			continuing_subword_prefix: '##',
			max_input_chars_per_word: 100,
			vocab: Object.fromEntries(vocab)
		}
	};
}

const tinyTokenizerConfig = {
	tokenizer_class: 'BertTokenizer',
	do_lower_case: true,
	model_max_length: 512,
	cls_token: '[CLS]',
	sep_token: '[SEP]',
	pad_token: '[PAD]',
	unk_token: '[UNK]',
	mask_token: '[MASK]'
};

/** safetensors: u64 header length · JSON header · little-endian tensor bytes. */
export function encodeSafetensors(
	tensors: Record<
		string,
		{ dtype: 'F32' | 'I64'; shape: number[]; data: Float32Array | BigInt64Array }
	>
): Buffer {
	const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
	let offset = 0;
	for (const [name, tensor] of Object.entries(tensors)) {
		header[name] = {
			dtype: tensor.dtype,
			shape: tensor.shape,
			data_offsets: [offset, offset + tensor.data.byteLength]
		};
		offset += tensor.data.byteLength;
	}
	let headerText = JSON.stringify(header);
	// The format pads the header with spaces so the data starts 8-byte aligned.
	headerText += ' '.repeat((8 - ((8 + headerText.length) % 8)) % 8);
	const headerBytes = Buffer.from(headerText);
	const out = Buffer.alloc(8 + headerBytes.length + offset);
	out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
	out.set(headerBytes, 8);
	let at = 8 + headerBytes.length;
	for (const tensor of Object.values(tensors)) {
		out.set(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength), at);
		at += tensor.data.byteLength;
	}
	return out;
}

/** Writes a model2vec folder (the layout of minishlab/potion-base-8M) and returns its path. */
export function writeTinyModel2Vec(dir: string, options: TinyModelOptions = {}): string {
	const dims = options.dims ?? TINY_VOCABULARY.length;
	const rows = SPECIAL_TOKENS.length + TINY_VOCABULARY.length;
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tinyTokenizerJson()));
	fs.writeFileSync(
		path.join(dir, 'model.safetensors'),
		encodeSafetensors({
			embeddings: { dtype: 'F32', shape: [rows, dims], data: tinyEmbeddingMatrix(options) }
		})
	);
	fs.writeFileSync(
		path.join(dir, 'config.json'),
		JSON.stringify({
			model_type: 'model2vec',
			architectures: ['StaticModel'],
			tokenizer_name: 'tiny-test-wordpiece',
			apply_pca: null,
			apply_zipf: false,
			hidden_dim: dims,
			seq_length: 1000000,
			normalize: true
		})
	);
	return dir;
}

// --- A minimal protobuf writer, enough for ONNX's ModelProto. ---

function varint(value: number | bigint): number[] {
	let v = BigInt.asUintN(64, BigInt(value));
	const bytes: number[] = [];
	do {
		let byte = Number(v & 0x7fn);
		v >>= 7n;
		if (v > 0n) byte |= 0x80;
		bytes.push(byte);
	} while (v > 0n);
	return bytes;
}

type Field = number[];
const intField = (field: number, value: number | bigint): Field => [
	...varint(field << 3),
	...varint(value)
];
const bytesField = (field: number, bytes: Uint8Array | number[]): Field => [
	...varint((field << 3) | 2),
	...varint(bytes.length),
	...bytes
];
const stringField = (field: number, text: string): Field =>
	bytesField(field, [...Buffer.from(text)]);
const message = (...fields: Field[]): number[] => fields.flat();

const FLOAT = 1;
const INT64 = 7;

/** ValueInfoProto of a tensor whose dims are symbolic names or fixed sizes. */
function tensorValueInfo(name: string, elemType: number, dims: (string | number)[]): number[] {
	const shape = message(
		...dims.map((dim) =>
			bytesField(
				1,
				typeof dim === 'string' ? message(stringField(2, dim)) : message(intField(1, dim))
			)
		)
	);
	const tensorType = message(intField(1, elemType), bytesField(2, shape));
	return message(stringField(1, name), bytesField(2, message(bytesField(1, tensorType))));
}

/**
 * An ONNX graph for a BERT-shaped encoder: last_hidden_state = Gather(embeddings, input_ids) ·
 * attention_mask (so padding is zero, and every declared input is consumed). Opset 13.
 */
export function encodeTinyOnnxEncoder(matrix: Float32Array, rows: number, dims: number): Buffer {
	const embeddingTensor = message(
		intField(1, rows),
		intField(1, dims),
		intField(2, FLOAT),
		stringField(8, 'embeddings'),
		bytesField(9, new Uint8Array(matrix.buffer, matrix.byteOffset, matrix.byteLength))
	);
	const axesTensor = message(
		intField(1, 1),
		intField(2, INT64),
		stringField(8, 'last_axis'),
		bytesField(9, new Uint8Array(new BigInt64Array([-1n]).buffer))
	);
	const node = (
		op: string,
		name: string,
		inputs: string[],
		outputs: string[],
		attrs: Field[] = []
	) =>
		message(
			...inputs.map((input) => stringField(1, input)),
			...outputs.map((output) => stringField(2, output)),
			stringField(3, name),
			stringField(4, op),
			...attrs
		);
	const castToFloat = bytesField(
		5,
		message(stringField(1, 'to'), intField(3, FLOAT), intField(20, 2))
	);
	const graph = message(
		bytesField(1, node('Gather', 'lookup', ['embeddings', 'input_ids'], ['token_vectors'])),
		bytesField(1, node('Cast', 'mask_float', ['attention_mask'], ['mask'], [castToFloat])),
		bytesField(1, node('Unsqueeze', 'mask_column', ['mask', 'last_axis'], ['mask3'])),
		bytesField(1, node('Mul', 'apply_mask', ['token_vectors', 'mask3'], ['last_hidden_state'])),
		stringField(2, 'tiny-encoder'),
		bytesField(5, embeddingTensor),
		bytesField(5, axesTensor),
		bytesField(11, tensorValueInfo('input_ids', INT64, ['batch', 'sequence'])),
		bytesField(11, tensorValueInfo('attention_mask', INT64, ['batch', 'sequence'])),
		bytesField(12, tensorValueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', dims]))
	);
	return Buffer.from(
		message(
			intField(1, 8), // IR version 8 (opset 13 era)
			stringField(2, 'dailypapers-tests'),
			bytesField(7, graph),
			bytesField(8, message(stringField(1, ''), intField(2, 13)))
		)
	);
}

/** Writes a transformers.js folder (config, tokenizer files, onnx/model.onnx); returns its path. */
export function writeTinyOnnxModel(dir: string, options: TinyModelOptions = {}): string {
	const dims = options.dims ?? TINY_VOCABULARY.length;
	const rows = SPECIAL_TOKENS.length + TINY_VOCABULARY.length;
	fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'config.json'),
		JSON.stringify({
			model_type: 'bert',
			architectures: ['BertModel'],
			hidden_size: dims,
			vocab_size: rows,
			max_position_embeddings: 512,
			num_attention_heads: 1,
			num_hidden_layers: 0,
			type_vocab_size: 1
		})
	);
	fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tinyTokenizerJson()));
	fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(tinyTokenizerConfig));
	fs.writeFileSync(
		path.join(dir, 'onnx', 'model.onnx'),
		encodeTinyOnnxEncoder(tinyEmbeddingMatrix(options), rows, dims)
	);
	return dir;
}
