// Lucide's icon data (the `lucide` package) drawn by one small functional component. The Vue
// wrapper package adds ~1 KB gzip of prop handling (stroke scaling, class merging, a11y guessing)
// that this panel never uses: every icon here is decorative (the button around it carries the
// accessible name), so each is hidden from assistive technology, and most are 14 px.
import { h, type FunctionalComponent } from "vue";
import type { IconNode } from "lucide";
import {
  ChevronDown as chevronDown,
  ChevronLeft as chevronLeft,
  ChevronRight as chevronRight,
  Copy as copy,
  Download as download,
  Eraser as eraser,
  FlipHorizontal2 as flipHorizontal,
  ImagePlus as imagePlus,
  Paintbrush as paintbrush,
  Redo2 as redo,
  RotateCcw as rotateCcw,
  Search as search,
  Settings2 as settings,
  Sparkles as sparkles,
  Square as square,
  Star as star,
  Trash2 as trash,
  Undo2 as undo,
  Upload as upload,
  WandSparkles as wand,
  X as x,
} from "lucide";

interface IconProps {
  size?: number | string;
  /** `currentColor` fills the shape (a chosen favourite star); lucide icons are stroke-only otherwise. */
  fill?: string;
}

function icon(node: IconNode): FunctionalComponent<IconProps> {
  const component: FunctionalComponent<IconProps> = ({ size = 14, fill = "none" }) =>
    h(
      "svg",
      { width: size, height: size, viewBox: "0 0 24 24", fill, stroke: "currentColor", "stroke-width": 2, "stroke-linecap": "round", "stroke-linejoin": "round", "aria-hidden": "true" },
      node.map(([tag, attributes]) => h(tag, attributes)),
    );
  // Declared props, so any other attribute (a class) falls through to the <svg>.
  component.props = ["size", "fill"];
  return component;
}

export const ChevronDown = icon(chevronDown);
export const Upload = icon(upload);
export const ChevronLeft = icon(chevronLeft);
export const ChevronRight = icon(chevronRight);
export const Copy = icon(copy);
export const Download = icon(download);
export const Eraser = icon(eraser);
export const FlipHorizontal2 = icon(flipHorizontal);
export const ImagePlus = icon(imagePlus);
export const Paintbrush = icon(paintbrush);
export const Redo2 = icon(redo);
export const RotateCcw = icon(rotateCcw);
export const Search = icon(search);
export const Settings2 = icon(settings);
export const Sparkles = icon(sparkles);
export const Square = icon(square);
export const Star = icon(star);
export const Trash2 = icon(trash);
export const Undo2 = icon(undo);
export const Wand2 = icon(wand);
export const X = icon(x);
