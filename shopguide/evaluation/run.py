"""`shopguide eval`: split a catalogue by id hash, train on the train part, report on the test part."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from models.features import FeatureStore, Garment, split_of
from models.heads import expected_calibration_error
from models.image_tower import ImageTower
from models.joint import JointModel
from models.neighbour_votes import nearest, vote_distribution
from models.text_tower import load_text_tower
from models.training import TrainConfig, train_joint_model
from shopguide.evaluation import tasks
from shopguide.evaluation.dataset import CLOTHING_CC0_MAP, load_garments, load_photos
from shopguide.evaluation.queries import attribute_queries
from shopguide.evaluation.report import write_report

CHOICES = [
    "Text tower `use` (multilingual USE): ~0.7 ms per text against ~14 ms for e5, so captions for 10k items "
    "embed in seconds, and the best Chinese<->English alignment measured on this machine (46% vs 18% for e5 "
    "finding a Chinese query's English translation). On the validation split e5 scored the same (title -> photo "
    "MRR 0.600 vs 0.599, Chinese attribute P@10 0.620 both), so the faster tower stays; e5 is one setting away "
    "(`SHOPGUIDE_TEXT_TOWER=e5`).",
    "Image features: frozen EfficientNet-Lite0 pooled vector, averaged with that of the mirrored photo, + a "
    "34-d colour descriptor of the foreground pixels (border-estimated background removed), the weakest "
    "attribute being colour. The colour head alone also reads the colour layout (the foreground's palette "
    "histogram in each cell of a 3x3 grid: a worn shirt's colour is not the trousers' below it), on its own "
    "trunk, trained after the shared heads, which therefore come out exactly as without the layout. On the "
    "validation split (seed 0), against the same heads without the layout: title -> photo MRR 0.645 vs 0.634, "
    "English attribute P@10 0.643 vs 0.637, Chinese 0.626 vs 0.614, colour accuracy 0.669 vs 0.648, phone "
    "photo category P@10 0.563 both. An earlier variant trained all heads together; over four seeds it gave "
    "MRR 0.634 vs 0.627 (higher for every seed), Chinese 0.618 vs 0.602, English 0.627 vs 0.626, colour "
    "0.666 vs 0.650, phone photos 0.541 vs 0.546 (the shared trunk differed only in its random draws). "
    "Seed-to-seed spread on these figures is about 0.01-0.015, so single-run differences below that, here "
    "and in the choices below, are within noise. Given to every head, the layout raised colour accuracy "
    "as well (0.687) but cost phone photo category P@10 (0.516 vs 0.563): phone photos are laid out unlike "
    "worn garments.",
    "Training text: the title in 55% of the pairs, else one of the bilingual (English/Chinese) captions built "
    "from the labels; texts shared by several items in a batch are positives of all of them.",
    "Chosen on the validation split (741 items inside train) by one rule: the best title -> photo MRR that "
    "loses nothing on attribute queries (joint space, English and Chinese) against the previous setting. Mirror "
    "averaging took MRR from 0.599 to 0.609; title share 0.55 (was 0.4) to 0.634 with Chinese attribute P@10 "
    "level (0.526 vs 0.523); 0.7 reached 0.647 but Chinese fell to 0.466. Tried and not kept: GeM pooling "
    "(0.596), e5 or USE+e5 text towers (0.600, 0.628), a larger head (0.642 with 0.7), batch 1024 (0.608), "
    "title and caption in every step (0.623), three-seed ensembles (0.658 with 0.7, three times the "
    "training), and phone-like renderings of catalogue photos (floor-like backgrounds, turned, relit) as "
    "extra training rows (phone photo category P@10 0.548 vs 0.556 without, alignment worse).",
    "Better image features, tried on the same validation split against the default (MRR 0.634, English attribute "
    "P@10 0.637, phone photo category P@10 0.563) and not kept: EfficientNet-Lite2 at 260 px (MRR 0.634, English "
    "0.600, phone 0.560; the category heads alone 0.579 vs 0.556; 2.5x the extraction time); pooled outputs of "
    "blocks 14+15 (0.626) or block 10 (0.635, phone 0.499); a max-pooled head map (0.617); phone photos cropped to "
    "their foreground box (phone 0.530) or padded to a square with their border's colour instead of centre-cropped"
    " (0.528); the last block and head conv fine-tuned with the contrastive loss on "
    "cached block-14 maps (best validation loss 2.100-2.140 against 2.121 frozen, MRR 0.620 with heads retrained on"
    " the tuned features); dropout 0.3 in the heads (0.633); a three-seed ensemble at title share 0.55 (0.644, "
    "English 0.623, three times the training and the index dimension). The frozen features look "
    "saturated for this catalogue's 7k training items.",
    "Text side, tried on the validation split (seeds 0 and 1) and not kept: the text head also reading the "
    "words themselves (a bag of the training texts' words seen at least twice, Latin words and Chinese "
    "characters and character pairs, 1,705 of them, appended to the tower's vector). In the joint space alone it "
    "helps: title -> photo MRR 0.660 and 0.659 against 0.618 and 0.610, attribute P@10 level or better (English "
    "0.554/0.580 vs 0.546/0.583, Chinese 0.549/0.569 vs 0.506/0.534). With the attribute agreement added it "
    "does not: at the same agreement weight MRR 0.661 vs 0.637/0.629 but attribute P@10 falls (English "
    "0.603/0.620 vs 0.629/0.629); at matched attribute precision (weight 0.1 against 0.05) the means are MRR "
    "0.639 vs 0.633, English 0.630 vs 0.629, Chinese 0.632 vs 0.628, within the seed spread. Batches built "
    "from items of one type and gender (hard negatives) in half the epochs: MRR with agreement 0.649 vs 0.637, "
    "0.603 vs 0.618 without; in every epoch 0.636 and 0.576. The agreement weight trades the two: 0.05 -> 0.4 "
    "moves MRR 0.637 -> 0.536 and English attribute P@10 0.629 -> 0.646 (seed 0), so 0.05 stays.",
    "Words expanded through the training items (models/expansion.py): the projected words plus 0.3 x the "
    "softmax-weighted (temperature 0.02) mean joint vector of the photos of the 50 training items whose titles the "
    "text tower finds nearest. On the validation split, seeds 0 and 1: title -> photo R@1 0.490 -> 0.505 and "
    "0.486 -> 0.506, MRR 0.643 -> 0.652 and 0.633 -> 0.650, attribute P@10 level (English 0.640 and 0.614 both "
    "times, Chinese 0.626 -> 0.626 and 0.603 -> 0.600). Weight 0.5 gained more MRR (0.657, 0.655) but cost "
    "English attribute P@10 (0.634, 0.597); 5 or 20 neighbours did about as 50; neighbours' raw image features "
    "instead of their joint vectors did no better. Words fused with a photo are not expanded: the fusion "
    "learnt plain projections. A bank of every training text (titles and the bilingual captions: 9,155 texts, "
    "each with the mean of its items' photos, or 34,805 item rows) instead of the titles, meant for Chinese words "
    "to find Chinese captions: seed 0 with the brand head, English attribute P@10 0.643 -> 0.651 and 0.657, Chinese "
    "0.629 -> 0.623 both, MRR 0.726 -> 0.724 and 0.726; not kept.",
    "Phone photos' category (models/neighbour_votes.py): the category head's probabilities averaged with the votes"
    " of the 10 catalogue photos nearest in the image tower's space (training items only here; the catalogue in a "
    "conversation), each weighted by softmax(cosine / 0.05). Chosen on the validation split: P@10 0.563 -> 0.587, "
    "about flat over 5-50 neighbours and temperatures 0.02-0.05. The phone photos are the same queries in "
    "validation and in test (only the catalogue side is split), so the test figures of table 3 are less independent"
    " of this choice than the catalogue's. The same votes smoothing the catalogue items' attribute probabilities "
    "(category and gender, colour, or all three; neighbours in the image or the joint space; vote share 0.3 or 0.5)"
    " did not help on validation (seed 0): English attribute P@10 0.626-0.640 against 0.640, MRR 0.646-0.652 "
    "against 0.652.",
    "Hubness correction (models/hubness.py): words' similarity to a photo lowered by the photo's mean similarity "
    "to its 20 nearest texts among the training items' titles and captions (9,155 texts, projected by the text "
    "head), weight 1.0: photos near every text stop crowding out the right one (the image side of CSLS, "
    "query-bank normalisation). The assistant stores each photo's figure at ingest and applies it when the joint "
    "query is words alone, to the candidates it ranks. On the validation split, seeds 0 and 1, against the "
    "method without it: title -> photo MRR 0.652 -> 0.684 and 0.650 -> 0.670, R@1 0.505 -> 0.548 and 0.506 -> "
    "0.534, attribute P@10 level (English 0.640 -> 0.643 and 0.614 -> 0.611, Chinese 0.626 -> 0.629 and 0.600 "
    "-> 0.603). Grid: 10, 20, 50 or 100 texts and weights 0.25-2.0; 10-50 texts at 0.75-1.0 all gained MRR "
    "0.015-0.03, from 1.5 on attribute precision fell (English 0.589-0.623 at 1.5-2.0). A bank of the expanded "
    "texts or of titles alone did about as well as this one (seed 0: MRR 0.681-0.683 at 10 texts, weight 1.0). "
    "Phone photos with their background whitened before the image tower (the colour descriptor's foreground "
    "mask), tried on validation and not kept: category P@10 0.583 -> 0.560 (head + neighbours' votes), 0.583 "
    "averaged with the photo as it is.",
    "Tried on the validation split (seed 0) and not kept: a soft hubness figure, the temperature-scaled "
    "log-sum-exp of the photo's similarities to the whole bank (the dynamic inverted softmax of query-bank "
    "normalisation; temperatures 0.02-0.1, weights 0.5-1.25), MRR 0.659-0.680 against 0.684 for the mean of the "
    "20 nearest; database-side augmentation, each photo's joint vector averaged with those of its 1-10 nearest "
    "catalogue photos (weight 0.1-0.5), MRR 0.632-0.650 against 0.652 (both without the hubness correction), "
    "attribute P@10 level; phone photos' category probabilities divided by the training catalogue's category "
    "shares (a label-shift correction, exponent 0.25-1, on the head alone or on head and votes), P@10 "
    "0.538-0.582 against 0.583, the most likely category one the label maps to 0.517-0.621 against 0.624. "
    "Phone photos' pooled features moved from the phone photos' mean towards the catalogue's (half or the whole "
    "way; seed 0 with the brand head): image cosine alone 0.445 -> 0.471 and 0.497, with the category as a "
    "conversation uses it 0.597 -> 0.591 and 0.594; not kept. What phone photos are read as: 66 of the 159 "
    "dresses as kurtas and 8 as dresses; blazers mostly as shirts (29 of "
    "53); the catalogue holds 361 kurtas (long tunics) and 33 dresses.",
    "Brand: a head that reads the maker off a photo (studio, model, cut and colours differ by brand), on its own "
    "trunk over the whole feature vector, trained after the other heads, which therefore come out exactly as "
    "without it; the brand a title names joins the attribute agreement as its category and colour do (the same "
    "weight, 0.05, not tuned). Myntra has no brand column, so `--brand-from-title` takes the words a title puts "
    "before whom the garment is for ('Puma Men Black T-shirt'), each brand spelt as most of its items spell it "
    "('FILA' is 'Fila'): 129 brands with at least 5 training items hold 97% of them. On the validation split, "
    "seeds 0 and 1: title -> photo MRR 0.684 -> 0.727 and 0.670 -> 0.720, R@1 0.548 -> 0.601 and 0.534 -> 0.596, "
    "attribute and phone photo figures unchanged (the other heads are the same), brand accuracy 0.572 and 0.584. "
    "On the shared trunk it gained less and moved the other heads (seed 0: MRR 0.707, R@1 0.564, Chinese "
    "attribute P@10 0.620 against 0.629). Tried and not kept (seed 0): the brand votes of the 5-20 nearest "
    "training photos mixed in, as for phone photos' category: brand accuracy 0.61-0.67, MRR 0.722-0.736 against "
    "0.727, within the seed spread. In a conversation a brand the shopper names counts through the titles in the "
    "text space; the head's reading fills no item's brand.",
    "The photo-to-photo space ('image') is kept next to 'joint': phone photos search better by raw image "
    "features than through the text-aligned projection (table 3).",
    "Fusion default: whichever of learned/weighted was better on validation triplets (see checkpoint.json). In a "
    "conversation the remembered photo counts through the image space and the words through the text and joint "
    "spaces, under the filters the words and the photo's category set. Checked on validation (1,028 photo + 'in "
    "<colour>' queries, the photo's read category and the colour as filters, the three spaces weighted as the "
    "assistant weighs them): the joint query fused from photo and words instead of the words alone gave P@10 of "
    "the same type, gender and new colour 0.794 vs 0.788 and the reference's pattern 0.183 vs 0.178, within "
    "noise: the filters carry what the fusion learnt, so conversations keep the words alone.",
    "A shopper's photo in a conversation (table 5): the colour and pattern the heads read join the words, never "
    "the filters (the shopper may want another colour); so do a picked item's own ('more like #2'). Chosen on "
    "the validation split with the saved seed 0 and 1 models (641 and 651 photos): the photo's own colour in the "
    "top 10 0.188 -> 0.394 and 0.188 -> 0.396, its pattern 0.623 -> 0.649 and 0.616 -> 0.644, against the read "
    "category alone as words; a picked item (630 and 636 queries) 0.197 -> 0.489 and 0.194 -> 0.485. Tried and not "
    "kept: with the category alone, the joint query fused from photo and words (colour 0.238, 0.237) or the "
    "photo's own joint vector (0.303, 0.313); with the read words, a fused (0.351, 0.354) or the photo's joint "
    "(0.354, 0.364), which kept the pattern a little better (0.664-0.675) but the colour worse; only reads at "
    "confidence 0.5 or 0.7 (colour 0.327-0.369).",
    "Tried on the validation split (seed 0) and not kept: a word head (its own trunk over the whole feature "
    "vector, one binary cross-entropy per word of the training items' titles and captions: Latin words, Chinese "
    "characters and character pairs, the 921 in 5-50% of the items), the log-probabilities of a query's words "
    "added to the assistant's method: title -> photo MRR 0.727 -> 0.734 at weight 0.01 and lower above it (0.717 "
    "at 0.05), R@1 0.601 -> 0.607, attribute P@10 level; the words alone MRR 0.582. A query's parsed attributes "
    "rendered as the English caption the heads trained on and mixed into its words (shares 0.25-0.75, in the "
    "tower's or the joint space): MRR 0.715-0.636, attribute P@10 level (the validation split's 16 queries show "
    "no Chinese gap: 0.806 in both languages). Catalogue photos also embedded as their upper and lower 60% "
    "(padded white to a square), a phone photo's image similarity the best of the three: phone photo category "
    "P@10 0.582 -> 0.586 (the upper part alone 0.588), within noise.",
]


@dataclass
class EvalOptions:
    name: str
    catalogue: Path
    mapping: dict[str, str]
    images_dir: Path | None = None
    photos_dir: Path | None = None
    photo_map: dict[str, list[str]] = field(default_factory=lambda: dict(CLOTHING_CC0_MAP))
    text_tower: str = "use"
    var_dir: Path = Path("var")
    out_dir: Path = Path("reports/eval")
    limit: int | None = None
    max_photos: int | None = None
    config: TrainConfig = field(default_factory=TrainConfig)
    plots: bool = True
    num_threads: int = 2
    min_query_items: int = 10
    brand_from_title: bool = False


def _attribute_record(test: tasks.TestSet, model: JointModel) -> dict:
    accuracy, ece = {}, {}
    for attribute, classes in model.attributes.labels.items():
        truth = test.labels(attribute)
        known = np.isin(truth, classes)
        probabilities = test.probabilities[attribute][known]
        correct = np.array(classes, dtype=object)[probabilities.argmax(1)] == truth[known]
        accuracy[attribute] = float(correct.mean())
        ece[attribute] = expected_calibration_error(probabilities.max(1), correct)
    return {"test_accuracy": accuracy, "test_ece": ece}


def _neighbour_votes(photo_features: np.ndarray, bank: list[Garment], model: JointModel, store: FeatureStore):
    """Each photo's category votes from its nearest labelled catalogue photos outside the test split."""
    features, ok = store.images([g.image for g in bank])
    labels = np.array([g.label("category") for g, good in zip(bank, ok, strict=True) if good], dtype=object)
    dim = store.image_tower.dim
    top, similarities = nearest(photo_features[:, :dim], features[ok][:, :dim])
    return vote_distribution(similarities, labels[top].tolist(), model.attributes.labels["category"])


def _photo_tasks(
    test: tasks.TestSet, bank: list[Garment], model: JointModel, store: FeatureStore, options: EvalOptions
) -> dict:
    photos = load_photos(options.photos_dir, options.photo_map)
    photos = photos[: options.max_photos] if options.max_photos else photos
    features, ok = store.images([p.path for p in photos])
    photos = [p for p, good in zip(photos, ok, strict=True) if good]
    features = features[ok]
    wanted = [options.photo_map[p.label] for p in photos]
    votes = _neighbour_votes(features, bank, model, store)
    result = {
        "photo_to_catalogue": tasks.photo_to_catalogue(test, model, features, wanted, votes),
        "photo_category_read": tasks.photo_category_read(model, features, wanted, votes),
    }

    def best(f: np.ndarray) -> np.ndarray:
        same = model.attributes.probabilities(torch.from_numpy(f))["category"].numpy()
        return f[:, : test.image_dim] @ test.pooled.T + 0.5 * same @ test.probabilities["category"].T

    labels = [p.label for p in photos]
    result["photo_by_label"] = tasks.photo_categories_breakdown(test, features, wanted, labels, best)
    return result


def run_evaluation(options: EvalOptions, report: Callable[[str], None] = print, progress=None) -> Path:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    garments = load_garments(options.catalogue, options.mapping, options.images_dir, options.brand_from_title)
    garments = [g for g in garments if g.image is not None][: options.limit]
    image_tower = ImageTower(num_threads=options.num_threads)
    store = FeatureStore(options.var_dir, image_tower, load_text_tower(options.text_tower))
    timings["load"] = time.perf_counter() - started
    started = time.perf_counter()
    model = train_joint_model(garments, store, options.text_tower, options.config, report, progress)
    timings["train (features + heads)"] = time.perf_counter() - started
    started = time.perf_counter()
    test = tasks.build_test_set([g for g in garments if split_of(g.id) == "test"], model, store)
    timings["test features"] = time.perf_counter() - started
    started = time.perf_counter()
    rng = np.random.default_rng(options.config.seed)
    queries = attribute_queries(test.garments, options.min_query_items)
    metrics: dict = {
        "text_to_image": tasks.text_to_image(test, model, store, rng),
        "attribute_queries": {
            "queries": len(queries),
            "examples": {"en": queries[0].english(), "zh": queries[0].chinese()} if queries else {},
            **tasks.attribute_precision(test, model, store, queries, rng),
        },
        "composed": tasks.composed(test, model, store, options.config.seed),
        "photo_look": tasks.photo_look(test, model, store),
        "attributes": _attribute_record(test, model),
        "training": model.record,
        "choices": CHOICES,
    }
    if options.photos_dir is not None and (options.photos_dir / "images.csv").is_file():
        bank = [g for g in garments if split_of(g.id) != "test"]
        metrics.update(_photo_tasks(test, bank, model, store, options))
    timings["evaluation"] = time.perf_counter() - started
    metrics["run"] = {
        "name": options.name,
        "catalogue": str(options.catalogue),
        "split": "sha1(id) % 100 < 20 -> test; of the rest, sha1('val:' + id) % 100 < 10 -> validation",
        "sizes": {**model.record["items"], "test": len(test.garments)},
        "image_tower": image_tower.name,
        "text_tower": store.text_tower.name,
        "classes": {attribute: len(classes) for attribute, classes in model.attributes.labels.items()},
        "brands": "the titles' words before whom they are for" if options.brand_from_title else "a column",
        "timings_s": timings,
    }
    return write_report(metrics, options.out_dir / options.name, plots=options.plots)
