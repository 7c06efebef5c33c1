import { NodeTypes, type NodeTransform, type TemplateChildNode } from "@vue/compiler-core";

type Prop = Extract<TemplateChildNode, { type: NodeTypes.ELEMENT }>["props"][number];

/** A `data-testid`, static or bound (`:data-testid="…"`). */
const isTestId = (prop: Prop) =>
  prop.type === NodeTypes.ATTRIBUTE
    ? prop.name === "data-testid"
    : prop.name === "bind" && prop.arg?.type === NodeTypes.SIMPLE_EXPRESSION && prop.arg.content === "data-testid";

/**
 * Drops `data-testid` attributes from templates: they are hooks for the tests, which run the
 * development bundle, and the production bundle is the one users download (~0.3 KB gzip).
 */
export const stripTestIds: NodeTransform = (node) => {
  if (node.type !== NodeTypes.ELEMENT) return;
  node.props = node.props.filter((prop) => !isTestId(prop));
};
