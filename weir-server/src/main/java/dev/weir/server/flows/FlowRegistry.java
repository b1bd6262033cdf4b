package dev.weir.server.flows;

import dev.weir.WeirException;
import dev.weir.flow.Flow;
import dev.weir.flow.FlowDefinitionException;
import dev.weir.flow.FlowParser;
import dev.weir.flow.SubflowCycles;
import dev.weir.server.NotFoundException;
import dev.weir.server.store.ServerStore;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flows a server runs, each at its current revision. A flow changes by a file edit (seen by
 * {@link FlowWatcher}), a deploy over the API, or a rollback; each change whose text differs from
 * the current one becomes a new numbered revision in the store. A text that does not validate is
 * refused and the last good revision keeps running.
 */
public final class FlowRegistry {
  private static final Logger log = LoggerFactory.getLogger(FlowRegistry.class);

  private final FlowParser parser;
  private final StateStore store;
  private final ServerStore serverStore;
  private final InstantSource clock;
  private final Path deployDir;
  private final Map<FlowKey, DeployedFlow> flows = new ConcurrentHashMap<>();
  // the store's weir_flows rows, read once (and again when another node of a cluster wrote them
  // first): a start with thousands of flows should not ask the store about each one
  private final Map<FlowKey, ServerStore.FlowRow> rows = new ConcurrentHashMap<>();
  private final List<Consumer<DeployedFlow>> listeners = new CopyOnWriteArrayList<>();
  // flow files this node wrote from revisions other nodes stored (see follow)
  private final java.util.Set<Path> copies = ConcurrentHashMap.newKeySet();

  /**
   * @param deployDir where flows deployed over the API are written ({@code <ns>/<id>.yaml})
   */
  public FlowRegistry(
      FlowParser parser,
      StateStore store,
      ServerStore serverStore,
      InstantSource clock,
      Path deployDir) {
    this.parser = parser;
    this.store = store;
    this.serverStore = serverStore;
    this.clock = clock;
    this.deployDir = deployDir;
    serverStore.flows().forEach(r -> rows.put(new FlowKey(r.namespace(), r.flowId()), r));
  }

  /** Called after a flow's revision or enabled state changed (not for its removal). */
  public void onChange(Consumer<DeployedFlow> listener) {
    listeners.add(listener);
  }

  public Collection<DeployedFlow> all() {
    return flows.values();
  }

  public Optional<DeployedFlow> get(FlowKey key) {
    return Optional.ofNullable(flows.get(key));
  }

  /** The flow, or a not-found error naming it. */
  public DeployedFlow require(FlowKey key) {
    DeployedFlow f = flows.get(key);
    if (f == null) {
      throw new NotFoundException(
          "no flow " + key + " on this server; list flows with GET /api/v1/flows");
    }
    return f;
  }

  public Path deployDir() {
    return deployDir;
  }

  /** The flow this file holds now, if the registry has one from it. */
  public Optional<DeployedFlow> byFile(Path file) {
    Path f = file.toAbsolutePath().normalize();
    return flows.values().stream().filter(d -> d.file().equals(f)).findFirst();
  }

  /** One flow file's text to register, and who changed it how. */
  public record Source(Path file, String text, String author, String origin) {}

  /** What became of one {@link Source}: the flow it now is, or why it was refused. */
  public record Outcome(Source source, DeployedFlow flow, RuntimeException error) {}

  /**
   * Parses {@code text} (from {@code file}) and makes it the flow's current revision when it
   * differs from the current one.
   *
   * @throws FlowDefinitionException when the text does not validate (nothing changes then)
   */
  public synchronized DeployedFlow register(Path file, String text, String author, String origin) {
    Outcome o = registerAll(List.of(new Source(file, text, author, origin))).get(0);
    if (o.error() != null) {
      throw o.error();
    }
    return o.flow();
  }

  /**
   * Registers many flow texts at once, as {@link #register} does each, but with the new revisions
   * written to the store in a few transactions (a first start with thousands of flows). A text that
   * does not validate, or defines a flow another file defines, is refused alone.
   */
  public synchronized List<Outcome> registerAll(List<Source> sources) {
    try {
      return registerOnce(sources);
    } catch (RuntimeException e) {
      if (!JdbcStateStore.isDuplicateKey(e)) {
        throw e;
      }
      // another node watching the same files stored the same revision first: read what the store
      // holds now, and this batch takes those revisions where its texts match
      log.info("another node stored revisions of these flows first; reading them");
      serverStore.flows().forEach(r -> rows.put(new FlowKey(r.namespace(), r.flowId()), r));
      return registerOnce(sources);
    }
  }

  private List<Outcome> registerOnce(List<Source> sources) {
    var outcomes = new ArrayList<Outcome>();
    var revisions = new ArrayList<StateStore.Revision>();
    var newRows = new ArrayList<ServerStore.NewRevision>();
    var changed = new ArrayList<DeployedFlow>();
    var claimed = new HashMap<FlowKey, Path>(); // files of this batch, by the flow they define
    // what the row cache held before this batch, to put back if the store refuses it
    var rowsBefore = new HashMap<FlowKey, Optional<ServerStore.FlowRow>>();
    Instant now = clock.instant();
    for (Source src : sources) {
      Path abs = src.file().toAbsolutePath().normalize();
      try {
        FlowParser.Parsed parsed = parser.read(abs.toString(), src.text());
        Flow flow = parsed.flow();
        // the flow loads: a warning is for whoever reads the log, like `weir validate` prints it
        parsed.warnings().forEach(w -> log.warn("{}", w));
        var key = new FlowKey(flow.namespace(), flow.id());
        DeployedFlow current = flows.get(key);
        Path other = claimed.get(key);
        if (other == null && current != null && !current.file().equals(abs)) {
          other = Files.exists(current.file()) ? current.file() : null;
        }
        if (other != null && !other.equals(abs)) {
          throw new WeirException(
              "flow "
                  + key
                  + " is defined twice: in "
                  + other
                  + " and in "
                  + abs
                  + "; give one of them another id or namespace");
        }
        refuseSubflowCycle(flow, outcomes);
        claimed.put(key, abs);
        rowsBefore.putIfAbsent(key, Optional.ofNullable(rows.get(key)));
        var row = Optional.ofNullable(rows.get(key));
        String hash = flow.source().hash();
        DeployedFlow deployed;
        if (row.isPresent() && row.get().hash().equals(hash)) {
          if (row.get().removedAt() != null) { // its file is back as it was: not removed any more
            serverStore.clearRemoved(key.namespace(), key.id());
            ServerStore.FlowRow r = row.get();
            rows.put(
                key,
                new ServerStore.FlowRow(
                    r.namespace(), r.flowId(), r.revision(), r.hash(), r.enabled(), r.at()));
          }
          deployed = new DeployedFlow(flow, abs, row.get().revision(), row.get().enabled());
          if (current == null || current.revision() != deployed.revision()) {
            changed.add(deployed);
          }
        } else {
          int revision = row.map(r -> r.revision() + 1).orElse(1);
          boolean enabled = row.map(ServerStore.FlowRow::enabled).orElse(true);
          revisions.add(
              new StateStore.Revision(hash, key.namespace(), key.id(), abs.toString(), src.text()));
          newRows.add(
              new ServerStore.NewRevision(
                  key.namespace(),
                  key.id(),
                  revision,
                  row.isEmpty(),
                  enabled,
                  hash,
                  src.author(),
                  src.origin(),
                  now));
          rows.put(
              key,
              new ServerStore.FlowRow(key.namespace(), key.id(), revision, hash, enabled, now));
          deployed = new DeployedFlow(flow, abs, revision, enabled);
          changed.add(deployed);
          log.info("flow {} is now revision {} ({}, from {})", key, revision, hash, src.origin());
        }
        outcomes.add(new Outcome(src, deployed, null));
      } catch (RuntimeException e) {
        outcomes.add(new Outcome(src, null, e));
      }
    }
    if (!newRows.isEmpty()) {
      try {
        store.saveRevisions(revisions);
        serverStore.addRevisions(newRows);
      } catch (RuntimeException e) {
        // the store refused: nothing of this batch is current
        rowsBefore.forEach((k, v) -> v.ifPresentOrElse(r -> rows.put(k, r), () -> rows.remove(k)));
        throw e;
      }
    }
    // published only once stored, each right after its listeners heard of it: whoever sees the
    // new revision in the registry knows the scheduler and triggers have it too
    var changedKeys = new java.util.HashSet<FlowKey>();
    changed.forEach(d -> changedKeys.add(d.key()));
    for (Outcome o : outcomes) {
      if (o.flow() != null && !changedKeys.contains(o.flow().key())) {
        flows.put(o.flow().key(), o.flow());
      }
    }
    for (DeployedFlow d : changed) {
      notifyChange(d);
      flows.put(d.key(), d);
    }
    return outcomes;
  }

  /**
   * A flow whose subflow tasks lead back to it through the flows held (and those accepted earlier
   * in this batch) is refused as invalid, at the task that starts the ring.
   */
  private void refuseSubflowCycle(Flow flow, List<Outcome> batch) {
    var accepted = new HashMap<String, Flow>();
    batch.stream()
        .filter(o -> o.flow() != null)
        .forEach(o -> accepted.put(o.flow().flow().qualifiedId(), o.flow().flow()));
    SubflowCycles.through(
            flow,
            k ->
                Optional.ofNullable(accepted.get(k))
                    // an id has no dots: the namespace is what comes before the last one
                    .or(() ->
                        Optional.ofNullable(
                                flows.get(
                                    new FlowKey(
                                        k.substring(0, k.lastIndexOf('.')),
                                        k.substring(k.lastIndexOf('.') + 1))))
                            .map(DeployedFlow::flow)))
        .ifPresent(c -> {
          throw new FlowDefinitionException(List.of(c.problem()));
        });
  }

  /**
   * Deploys a flow's text: it is written to its file (the existing one, or {@code
   * <deployDir>/<namespace>/<id>.yaml}) and becomes the current revision.
   */
  public synchronized DeployedFlow deploy(String text, String author) {
    Flow flow = parser.parse("<deploy>", text);
    var key = new FlowKey(flow.namespace(), flow.id());
    Path file =
        get(key)
            .map(DeployedFlow::file)
            .orElse(
                deployDir
                    .resolve(flow.namespace())
                    .resolve(flow.id() + ".yaml")
                    .toAbsolutePath()
                    .normalize());
    write(file, text);
    return register(file, text, author, "deploy");
  }

  /** Makes an earlier revision's text current again, as a new revision. */
  public synchronized DeployedFlow rollback(FlowKey key, int toRevision, String author) {
    DeployedFlow current = require(key);
    var target =
        serverStore.history(key.namespace(), key.id()).stream()
            .filter(r -> r.revision() == toRevision)
            .findFirst()
            .orElseThrow(() ->
                new NotFoundException(
                    "flow "
                        + key
                        + " has no revision "
                        + toRevision
                        + " (it has 1 to "
                        + current.revision()
                        + ")"));
    String text =
        store
            .revisionText(target.hash())
            .orElseThrow(
                () -> new WeirException("the text of revision " + toRevision + " is missing"));
    write(current.file(), text);
    return register(current.file(), text, author, "rollback to " + toRevision);
  }

  public synchronized DeployedFlow setEnabled(FlowKey key, boolean enabled) {
    DeployedFlow current = require(key);
    serverStore.setEnabled(key.namespace(), key.id(), enabled, clock.instant());
    rows.computeIfPresent(
        key,
        (k, r) ->
            new ServerStore.FlowRow(
                r.namespace(), r.flowId(), r.revision(), r.hash(), enabled, clock.instant()));
    var changed = current.withEnabled(enabled);
    flows.put(key, changed);
    log.info("flow {} {}", key, enabled ? "enabled" : "disabled");
    notifyChange(changed);
    return changed;
  }

  /**
   * Forgets the flows whose file is gone, and marks them removed in the store so that the other
   * nodes of a cluster forget them too; their history stays.
   */
  synchronized void removeMissing(Collection<Path> present) {
    flows
        .values()
        .removeIf(d -> {
          boolean gone = !present.contains(d.file()) && !Files.exists(d.file());
          if (gone) {
            log.info("flow {} removed: its file {} is gone", d.key(), d.file());
            Instant at = clock.instant();
            serverStore.markRemoved(d.key().namespace(), d.key().id(), at);
            rows.computeIfPresent(
                d.key(),
                (k, r) ->
                    new ServerStore.FlowRow(
                        r.namespace(),
                        r.flowId(),
                        r.revision(),
                        r.hash(),
                        r.enabled(),
                        r.at(),
                        at));
          }
          return gone;
        });
  }

  /**
   * Takes the revision another node of the cluster stored: its text is written to the flow's file
   * here (the one it has, else one in the deploy directory) and becomes current as that revision,
   * not as a new one.
   *
   * @return the flow now, or null when this node has that revision or a newer one already (the row
   *     was read before this node stored one itself)
   */
  synchronized DeployedFlow follow(ServerStore.FlowRow row, StateStore.Revision revision) {
    var key = new FlowKey(row.namespace(), row.flowId());
    // read before this node stored a newer revision itself (a deploy, a rollback): nothing to take
    Optional<DeployedFlow> current = get(key);
    ServerStore.FlowRow known = rows.get(key);
    if ((current.isPresent() && current.get().revision() >= row.revision())
        || (known != null && known.revision() > row.revision())) {
      return null;
    }
    rows.put(key, row);
    String text = revision.text();
    Path file = current.map(DeployedFlow::file).orElse(null);
    if (file == null) {
      // nodes sharing one flows directory: the file the revision came from is this node's too
      Path dir = deployDir.toAbsolutePath().normalize();
      Path saved =
          revision.file() == null ? null : Path.of(revision.file()).toAbsolutePath().normalize();
      file =
          saved != null && saved.startsWith(dir) && holds(saved, text)
              ? saved
              : dir.resolve(key.namespace()).resolve(key.id() + ".yaml");
    }
    if (!holds(file, text)) {
      write(file, text);
      copies.add(file);
    }
    DeployedFlow d = register(file, text, "cluster", "cluster");
    if (d.enabled() != row.enabled()) {
      d = followEnabled(row);
    }
    return d;
  }

  private static boolean holds(Path file, String text) {
    try {
      return Files.isRegularFile(file)
          && Files.readString(file, StandardCharsets.UTF_8).equals(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** Another node enabled or disabled the flow (unless this node changed it since the row). */
  synchronized DeployedFlow followEnabled(ServerStore.FlowRow row) {
    var key = new FlowKey(row.namespace(), row.flowId());
    boolean enabled = row.enabled();
    ServerStore.FlowRow known = rows.get(key);
    if (known != null && known.at() != null && row.at() != null && known.at().isAfter(row.at())) {
      return require(key);
    }
    var changed = require(key).withEnabled(enabled);
    rows.computeIfPresent(
        key,
        (k, r) ->
            new ServerStore.FlowRow(
                r.namespace(), r.flowId(), r.revision(), r.hash(), enabled, r.at()));
    flows.put(key, changed);
    notifyChange(changed);
    return changed;
  }

  /** Another node removed the flow's file: this node forgets the flow and removes its copy. */
  synchronized void forget(FlowKey key) {
    DeployedFlow d = flows.remove(key);
    if (d == null) {
      return;
    }
    // only a copy this node wrote itself goes: never a file of a directory someone keeps
    if (copies.remove(d.file())) {
      log.info("flow {} removed on another node; its copy {} goes too", key, d.file());
      try {
        Files.deleteIfExists(d.file());
      } catch (IOException e) {
        log.warn("cannot remove {}: {}", d.file(), e.getMessage());
      }
    } else {
      log.info("flow {} removed on another node", key);
    }
  }

  private void notifyChange(DeployedFlow f) {
    for (var l : listeners) {
      try {
        l.accept(f);
      } catch (RuntimeException e) {
        log.warn("a listener failed on the change of flow {}: {}", f.key(), e.toString());
      }
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new WeirException("cannot write flow file " + file + ": " + e.getMessage(), e);
    }
  }
}
