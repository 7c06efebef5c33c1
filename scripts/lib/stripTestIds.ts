import { NodeTypes, type NodeTransform } from "@vue/compiler-core";

/**
 * Drops `data-testid` attributes from templates, static and bound (`:data-testid`): they are hooks
 * for the tests, which run the development bundle, and the production bundle is the one users
 * download (~0.3 KB gzip).
 */
export const stripTestIds: NodeTransform = (node) => {
  if (node.type !== NodeTypes.ELEMENT) return;
  node.props = node.props.filter(
    (prop) =>
      !(prop.type === NodeTypes.ATTRIBUTE && prop.name === "data-testid") &&
      !(prop.type === NodeTypes.DIRECTIVE && prop.name === "bind" && prop.arg?.type === NodeTypes.SIMPLE_EXPRESSION && prop.arg.content === "data-testid"),
  );
};
