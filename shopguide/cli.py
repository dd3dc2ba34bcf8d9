"""The `shopguide` command line: demo catalogue, ingest, search, settings, run, bench."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from shopguide.settings import Settings, get_settings

app = typer.Typer(help="Conversational fashion shopping assistant.", no_args_is_help=True, add_completion=False)
console = Console(soft_wrap=True)


def _encoder_and_store(settings: Settings):
    from models.encoder import load_encoder
    from shopguide.store.client import make_chroma_client
    from shopguide.store.garment_store import GarmentStore

    encoder = load_encoder(settings.text_tower, settings.num_threads, settings.joint_model_path)
    store = GarmentStore(make_chroma_client(settings), settings.collection_prefix, encoder.spaces, encoder.name)
    return encoder, store


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log at INFO level")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s %(message)s")


def _print_rejections(rejected: list[str], summary: str, shown: int = 20) -> None:
    """The first rejected rows with their reasons, then the summary line."""
    for line in rejected[:shown]:
        console.print(f"  rejected {line}", markup=False)
    if len(rejected) > shown:
        console.print(f"  ... and {len(rejected) - shown} more")
    console.print(summary, markup=False)


@app.command()
def demo(
    out: Annotated[Path | None, typer.Option(help="Output folder (default: var/demo)")] = None,
    items: Annotated[int | None, typer.Option(help="Number of garments")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed")] = None,
) -> None:
    """Generate the demo catalogue (JSONL + drawn product images)."""
    from data.demo_catalogue import generate

    settings = get_settings()
    path = generate(out or settings.demo_dir, n_items=items or settings.demo_items, seed=seed or settings.demo_seed)
    console.print(f"demo catalogue: {path}")


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(help="Catalogue file: CSV, JSONL or a Shopify product export")],
    fmt: Annotated[str, typer.Option("--format", help="auto, csv, jsonl or shopify")] = "auto",
    mapping: Annotated[str | None, typer.Option("--map", help="field=column,... e.g. title=productDisplayName")] = None,
    images: Annotated[Path | None, typer.Option(help="Folder that relative image paths start from")] = None,
    sync: Annotated[bool, typer.Option("--sync", help="Remove stored items that are not in the file")] = False,
    report: Annotated[Path | None, typer.Option(help="Where to write the report (JSON)")] = None,
    allow_missing_images: Annotated[bool, typer.Option(help="Accept items without an image")] = False,
    progress: Annotated[bool, typer.Option(help="Show a progress bar")] = True,
) -> None:
    """Ingest a catalogue into the vector store: idempotent, and bad rows never abort it."""
    from shopguide.catalogue.ingest import CatalogueIngester, IngestOptions
    from shopguide.catalogue.readers import parse_mapping

    if not path.is_file():
        raise typer.BadParameter(f"no such file: {path}", param_hint="PATH")
    if fmt not in ("auto", "csv", "jsonl", "shopify"):
        raise typer.BadParameter("choose auto, csv, jsonl or shopify", param_hint="--format")
    try:
        column_map = parse_mapping(mapping)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--map") from None
    settings = get_settings()
    encoder, store = _encoder_and_store(settings)
    options = IngestOptions(
        fmt=fmt,
        mapping=column_map,
        images_dir=images,
        sync=sync,  # type: ignore[arg-type]
        require_images=not allow_missing_images,
        show_progress=progress,
    )
    result = CatalogueIngester(store, encoder, settings).ingest(path, options)
    report_path = report or settings.reports_dir / f"ingest-{path.stem}.json"
    result.write(report_path)
    rejected = [f"row {r.row} ({r.id or 'no id'}): {r.reason}" for r in result.rejected]
    _print_rejections(rejected, f"ingest: {result.summary()}; report: {report_path}")


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="What the shopper asks for")] = "",
    image: Annotated[Path | None, typer.Option(help="A photo to search with")] = None,
    k: Annotated[int | None, typer.Option(help="Number of results")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Search the catalogue with words and/or a photo; prints ranked items, scores and filters."""
    from shopguide.errors import ImageError
    from shopguide.images import decode_image
    from shopguide.search.service import SearchRequest, SearchService

    settings = get_settings()
    photo = None
    if image is not None:
        try:
            photo = decode_image(image.read_bytes(), settings.max_image_pixels)
        except (OSError, ImageError) as error:
            raise typer.BadParameter(str(error), param_hint="--image") from None
    if not text.strip() and photo is None:
        raise typer.BadParameter("give some words, a photo, or both")
    service = SearchService.from_settings(settings, filter_columns=False)  # one query, then the process exits
    result = service.search(SearchRequest(text=text, image=photo, k=k))
    if as_json:
        console.print_json(
            json.dumps(
                {
                    "filters": result.constraints.model_dump(exclude_defaults=True),
                    "where": result.where,
                    "query_text": result.query_text,
                    "ms": round(result.seconds * 1000, 1),
                    "items": [
                        {
                            "id": r.item.id,
                            "title": r.item.title,
                            "price": r.item.price,
                            "currency": r.item.currency,
                            "score": round(r.score, 4),
                            "scores": {s: round(v, 4) for s, v in r.scores.items()},
                        }
                        for r in result.items
                    ],
                },
                ensure_ascii=False,
            )
        )
        return
    table = Table(title=f"filters: {result.constraints.describe()}  ({result.seconds * 1000:.0f} ms)")
    for column in ("#", "id", "title", "price", "score", "scores"):
        table.add_column(column)
    for number, ranked in enumerate(result.items, start=1):
        scores = " ".join(f"{s}={v:.3f}" for s, v in ranked.scores.items())
        price = f"{ranked.item.price:.2f} {ranked.item.currency}" if ranked.item.price is not None else "-"
        table.add_row(str(number), ranked.item.id, ranked.item.title, price, f"{ranked.score:.3f}", scores)
    console.print(table)
    if not result.items:
        console.print("no item matches these filters")


model_app = typer.Typer(help="The trained multimodal model.", no_args_is_help=True)
app.add_typer(model_app, name="model")


@model_app.command("train")
def model_train(
    catalogue: Annotated[Path, typer.Argument(help="Catalogue file: CSV, JSONL or a Shopify export")],
    mapping: Annotated[str | None, typer.Option("--map", help="field=column,... as for ingest")] = None,
    images: Annotated[Path | None, typer.Option(help="Folder that relative image paths start from")] = None,
    out: Annotated[Path | None, typer.Option(help="Checkpoint folder (default: the joint_model_dir setting)")] = None,
    epochs: Annotated[int, typer.Option(help="Most alignment epochs (early stopping on validation)")] = 40,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
) -> None:
    """Train projection, attribute and fusion heads on the catalogue's train split; save the checkpoint."""
    from rich.progress import Progress

    from shopguide.catalogue.readers import parse_mapping
    from shopguide.runner.joint_model import train_on_catalogue

    if not catalogue.is_file():
        raise typer.BadParameter(f"no such file: {catalogue}", param_hint="CATALOGUE")
    settings = get_settings()
    target = out or settings.joint_model_path
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("image features")
        train_on_catalogue(
            settings,
            catalogue,
            parse_mapping(mapping),
            images,
            target,
            epochs,
            seed,
            report=lambda line: console.print(line, markup=False),
            progress=lambda n: bar.advance(task, n),
        )
    console.print(f"model: {target} (re-ingest the catalogue so that its items get joint vectors)")


@app.command("eval-nlu")
def evaluate_nlu_command(
    out: Annotated[Path, typer.Option(help="Report folder")] = Path("reports/eval/nlu"),
    model: Annotated[Path | None, typer.Option(help="A trained Rasa model (default: the one `run` uses)")] = None,
    extra_seeds: Annotated[
        int, typer.Option(help="Train the same data again with this many other DIET seeds: mean and range")
    ] = 0,
) -> None:
    """Intent and entity F1 per language on the NLU test sets (reports/eval/nlu/report.md)."""
    from shopguide.evaluation.nlu import evaluate_nlu

    results = evaluate_nlu(get_settings(), out, model, extra_seeds)
    console.print((out / "report.md").read_text(), markup=False)
    if not results:
        raise typer.Exit(1)


@app.command("eval")
def evaluate(
    catalogue: Annotated[Path, typer.Argument(help="Catalogue file: CSV, JSONL or a Shopify export")],
    name: Annotated[str, typer.Option(help="Report name: reports/eval/<name>/")] = "catalogue",
    mapping: Annotated[str | None, typer.Option("--map", help="field=column,... as for ingest")] = None,
    images: Annotated[Path | None, typer.Option(help="Folder that relative image paths start from")] = None,
    photos: Annotated[Path | None, typer.Option(help="Shoppers' photos: a folder with images.csv + images/")] = None,
    out: Annotated[Path, typer.Option(help="Reports folder")] = Path("reports/eval"),
    limit: Annotated[int | None, typer.Option(help="Use only the first N items (quick runs)")] = None,
    epochs: Annotated[int, typer.Option(help="Most alignment epochs")] = 40,
    brand_from_title: Annotated[
        bool, typer.Option(help="No brand column: a title's words before 'Men'/'Women'/... name the brand")
    ] = False,
) -> None:
    """Split by id hash (80/20), train on the train part, write report.md, metrics.json and plots."""
    from models.training import TrainConfig
    from shopguide.catalogue.readers import parse_mapping
    from shopguide.evaluation.run import EvalOptions, run_evaluation

    if not catalogue.is_file():
        raise typer.BadParameter(f"no such file: {catalogue}", param_hint="CATALOGUE")
    settings = get_settings()
    options = EvalOptions(
        name=name,
        catalogue=catalogue,
        mapping=parse_mapping(mapping),
        images_dir=images,
        photos_dir=photos,
        text_tower=settings.text_tower,
        var_dir=settings.var_dir,
        out_dir=out,
        limit=limit,
        config=TrainConfig(epochs=epochs),
        brand_from_title=brand_from_title,
    )
    path = run_evaluation(options, report=lambda line: console.print(line, markup=False))
    console.print(f"report: {path}")


@app.command("eval-personalisation")
def evaluate_personalisation(
    catalogue: Annotated[Path, typer.Argument(help="Catalogue file: CSV, JSONL or a Shopify export")],
    mapping: Annotated[str | None, typer.Option("--map", help="field=column,... as for ingest")] = None,
    images: Annotated[Path | None, typer.Option(help="Folder that relative image paths start from")] = None,
    request_column: Annotated[str, typer.Option(help="Column of the broad group shoppers ask for")] = "subCategory",
    shoppers: Annotated[int, typer.Option(help="Simulated shoppers")] = 200,
    tune: Annotated[bool, typer.Option(help="Choose the weights on train-split shoppers first")] = False,
    out: Annotated[Path, typer.Option(help="Report folder")] = Path("reports/eval/personalisation"),
) -> None:
    """Simulated shoppers give feedback: precision@10 of their taste after 0/3/5 turns, with and
    without personalisation, on the test split (report.md, metrics.json, plot)."""
    from shopguide.catalogue.readers import parse_mapping
    from shopguide.evaluation.personalisation import PersonalEvalOptions, run_personalisation_eval
    from shopguide.personalisation.rerank import PersonalWeights

    if not catalogue.is_file():
        raise typer.BadParameter(f"no such file: {catalogue}", param_hint="CATALOGUE")
    settings = get_settings()
    options = PersonalEvalOptions(
        catalogue,
        parse_mapping(mapping),
        PersonalWeights.from_settings(settings),
        images_dir=images,
        request_column=request_column,
        shoppers=shoppers,
        tune=tune,
        text_tower=settings.text_tower,
        num_threads=settings.num_threads,
        var_dir=settings.var_dir,
        out_dir=out,
    )
    path = run_personalisation_eval(options, report=lambda line: console.print(line, markup=False))
    console.print(f"report: {path}")


profiles_app = typer.Typer(help="Shoppers' profiles in Redis: purchase history, show, forget.", no_args_is_help=True)
app.add_typer(profiles_app, name="profiles")


@profiles_app.command("import")
def profiles_import(
    path: Annotated[Path, typer.Argument(help="CSV with shopper_id, item_id, date (YYYY-MM-DD) and size columns")],
    report: Annotated[Path | None, typer.Option(help="Where to write the report (JSON)")] = None,
) -> None:
    """Add purchase history to shoppers' profiles: bad rows are listed, never fatal; re-importing adds nothing."""
    from shopguide.errors import ShopguideError
    from shopguide.personalisation.access import items_by_id, profile_store
    from shopguide.personalisation.purchases import import_purchases

    if not path.is_file():
        raise typer.BadParameter(f"no such file: {path}", param_hint="PATH")
    settings = get_settings()

    def catalogue_items(ids):  # only once the file proved readable: loading the encoder takes seconds
        return items_by_id(_encoder_and_store(settings)[1], ids)

    try:
        with profile_store(settings) as store:
            result = import_purchases(path, store, catalogue_items)
    except ShopguideError as error:
        raise typer.BadParameter(str(error), param_hint="PATH") from None
    report_path = report or settings.reports_dir / f"purchases-{path.stem}.json"
    result.write(report_path)
    rejected = [f"row {r.row}: {r.reason}" for r in result.rejected]
    _print_rejections(rejected, f"profiles import: {result.summary()}; report: {report_path}")


@profiles_app.command("show")
def profiles_show(shopper: Annotated[str, typer.Argument(help="The shopper's id (the channel's user id)")]) -> None:
    """Print what is kept about a shopper (JSON)."""
    from shopguide.personalisation.access import profile_store

    with profile_store(get_settings()) as store:
        if not store.exists(shopper):
            console.print("no profile for this shopper")
            raise typer.Exit(1)
        console.print_json(store.load(shopper).model_dump_json())


@profiles_app.command("forget")
def profiles_forget(shopper: Annotated[str, typer.Argument(help="The shopper's id (the channel's user id)")]) -> None:
    """Forget the shopper: profile, conversation, remembered photo, everything keyed to them."""
    from shopguide.personalisation.access import profile_store
    from shopguide.privacy import forget_shopper

    settings = get_settings()
    with profile_store(settings) as store:
        deleted = forget_shopper(store.client, shopper, settings.collection_prefix)
    console.print(f"profile deleted ({deleted} keys)" if deleted else "nothing kept for this shopper")


@app.command("settings")
def show_settings(markdown: Annotated[bool, typer.Option(help="Print the README's markdown table")] = False) -> None:
    """Print every setting with its environment variable, current value and meaning."""
    from shopguide.settings_table import settings_rows

    rows = settings_rows(get_settings())
    if markdown:
        print("| variable | default | meaning |\n|---|---|---|")
        for variable, _, default, meaning in rows:
            print(f"| `{variable}` | `{default}` | {meaning} |")
        return
    table = Table()
    for column in ("variable", "value", "default", "meaning"):
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    console.print(table)


@app.command()
def run(
    check: Annotated[bool, typer.Option(help="Start, report ready, then stop (for tests)")] = False,
) -> None:
    """Build what is missing and start Redis, the action server, Rasa and the web page."""
    from shopguide.runner.assistant import run_assistant

    raise typer.Exit(run_assistant(get_settings(), stop_when_ready=check))


@app.command("rasa-config")
def rasa_config(
    action_url: Annotated[str | None, typer.Option(help="URL Rasa calls for actions (a load balancer's)")] = None,
    ingest: Annotated[bool, typer.Option(help="Ingest the catalogue into Chroma first")] = False,
) -> None:
    """Write Rasa's endpoints.yml, credentials.yml and model-name from the settings (containers, clusters)."""
    from shopguide.errors import ShopguideError
    from shopguide.runner.deploy import write_rasa_config

    try:
        written = write_rasa_config(get_settings(), action_url, ingest, report=lambda line: console.print(line))
    except ShopguideError as error:
        console.print(f"cannot write the Rasa config: {error}", markup=False)
        raise typer.Exit(1) from None
    console.print(f"{written.endpoints}\n{written.credentials}\nmodel: {written.model}", markup=False)


telegram_app = typer.Typer(help="The Telegram bot (bot/channels/telegram.py).", no_args_is_help=True)
app.add_typer(telegram_app, name="telegram")


@telegram_app.command("set-webhook")
def telegram_set_webhook(
    url: Annotated[
        str | None, typer.Option(help="Public HTTPS address of the Rasa server (default: public_url)")
    ] = None,
) -> None:
    """Tell Telegram to post the bot's updates to this server, with the secret token (setWebhook)."""
    import httpx

    settings = get_settings()
    base = url or settings.public_url
    if not (settings.telegram_token and settings.telegram_secret_token and base):
        console.print(
            "set SHOPGUIDE_TELEGRAM_TOKEN, SHOPGUIDE_TELEGRAM_SECRET_TOKEN and SHOPGUIDE_PUBLIC_URL (or --url)"
        )
        raise typer.Exit(1)
    webhook = base.rstrip("/") + "/webhooks/telegram/webhook"
    body = {
        "url": webhook,
        "secret_token": settings.telegram_secret_token,
        "allowed_updates": ["message", "callback_query"],
    }
    try:
        api = f"{settings.telegram_api_base.rstrip('/')}/bot{settings.telegram_token}/setWebhook"
        answer = httpx.post(api, json=body, timeout=30).json()
    except (httpx.HTTPError, ValueError) as error:  # the URL holds the token: name the error only
        answer = {"description": f"Telegram could not be reached ({type(error).__name__})"}
    if not isinstance(answer, dict) or not answer.get("ok"):
        description = answer.get("description") if isinstance(answer, dict) else answer
        console.print(f"setWebhook failed: {description}", markup=False)
        raise typer.Exit(1)
    console.print(f"Telegram posts the bot's updates to {webhook}", markup=False)


@app.command()
def cluster(
    port: Annotated[int, typer.Option(help="nginx port (shoppers); the others count from it")] = 5080,
    servers: Annotated[int, typer.Option(help="Rasa servers and action servers (each)")] = 2,
) -> None:
    """Several Rasa and action servers behind nginx, sharing Redis and Chroma servers (var/cluster)."""
    from shopguide.runner.cluster import ClusterLayout, run_cluster

    settings = get_settings()
    layout = ClusterLayout.numbered(settings.var_dir / "cluster", port, servers, settings.host)
    raise typer.Exit(run_cluster(settings, layout, report=lambda line: console.print(line, markup=False)))


if __name__ == "__main__":
    app()
