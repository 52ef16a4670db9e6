// How big a YAML document becomes once its aliases (`*name`) are expanded, counted on the parsed
// tree before anything is expanded. A "billion laughs" file of a few hundred bytes expands to
// 10^9 values; one wide anchor copied a hundred times does the same linearly. The yaml library's
// own guard (`maxAliasCount`) counts uses per anchor and sees neither the line nor the wide case.
import {isAlias, isCollection, isPair, visit, type Alias, type Document} from 'yaml';

/** Values a clusterConfig.yaml may hold once expanded: a 1000-node cluster has about 20 000. */
export const expandedNodeBudget = 200_000;

function expandedSizes(document: Document): (node: unknown) => number {
	const sizes = new Map<unknown, number>();
	const inProgress = new Set<unknown>();
	const size = (node: unknown): number => {
		if (isAlias(node)) {
			return size(node.resolve(document));
		}

		if (!isCollection(node)) {
			return 1;
		}

		const known = sizes.get(node);
		if (known !== undefined) {
			return known;
		}

		if (inProgress.has(node)) {
			return 1; // An anchor that names itself; the parser reports it, never expand it here.
		}

		inProgress.add(node);
		let total = 1;
		for (const item of node.items) {
			total += isPair(item) ? size(item.key) + size(item.value) : size(item);
		}

		inProgress.delete(node);
		sizes.set(node, total);
		return total;
	};

	return size;
}

/**
 * The alias at which the expanded document passes `budget` values, in document order (the line to
 * show the operator), or undefined when it stays within it.
 */
export function aliasOverBudget(document: Document, budget = expandedNodeBudget): Alias | undefined {
	const size = expandedSizes(document);
	let total = 0;
	let culprit: Alias | undefined;
	visit(document, {
		Scalar() {
			total += 1;
		},
		Map() {
			total += 1;
		},
		Seq() {
			total += 1;
		},
		Alias(_key, node) {
			total += size(node);
			if (total > budget) {
				culprit = node;
				return visit.BREAK;
			}

			return undefined;
		},
	});
	return culprit;
}
