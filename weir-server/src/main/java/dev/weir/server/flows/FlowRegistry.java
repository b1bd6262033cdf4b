package dev.weir.server.flows;

import dev.weir.WeirException;
import dev.weir.flow.Flow;
import dev.weir.flow.FlowDefinitionException;
import dev.weir.flow.FlowParser;
import dev.weir.server.NotFoundException;
import dev.weir.server.store.ServerStore;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
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
  private final CurrentFlows flows = new CurrentFlows();
  private final FlowRows rows; // the store's weir_flows rows, read once
  private final FlowFiles files; // the flow files this registry writes

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
    this.files = new FlowFiles(deployDir);
    this.rows = new FlowRows(serverStore, clock);
  }

  /** Called after a flow's revision or enabled state changed (not for its removal). */
  public void onChange(Consumer<DeployedFlow> listener) {
    flows.onChange(listener);
  }

  public Collection<DeployedFlow> all() {
    return flows.all();
  }

  public Optional<DeployedFlow> get(FlowKey key) {
    return Optional.ofNullable(flows.get(key));
  }

  /** The flow, or a not-found error naming it. */
  public DeployedFlow require(FlowKey key) {
    return flows.require(key);
  }

  public Path deployDir() {
    return files.deployDir();
  }

  /** The flow this file holds now, if the registry has one from it. */
  public Optional<DeployedFlow> byFile(Path file) {
    return flows.byFile(file);
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
      rows.reload();
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
        flows.refuseSubflowCycle(flow, outcomes);
        claimed.put(key, abs);
        rowsBefore.putIfAbsent(key, Optional.ofNullable(rows.get(key)));
        var row = Optional.ofNullable(rows.get(key));
        String hash = flow.source().hash();
        DeployedFlow deployed;
        if (row.isPresent() && row.get().hash().equals(hash)) {
          if (row.get().removedAt() != null) { // its file is back as it was: not removed any more
            rows.clearRemoved(key, row.get());
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
        rows.restore(rowsBefore);
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
      flows.notifyChange(d);
      flows.put(d.key(), d);
    }
    return outcomes;
  }

  /**
   * Deploys a flow's text: it is written to its file (the existing one, or {@code
   * <deployDir>/<namespace>/<id>.yaml}) and becomes the current revision.
   */
  public synchronized DeployedFlow deploy(String text, String author) {
    Flow flow = parser.parse("<deploy>", text);
    var key = new FlowKey(flow.namespace(), flow.id());
    Path file = get(key).map(DeployedFlow::file).orElse(files.deployFile(flow));
    FlowFiles.write(file, text);
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
    FlowFiles.write(current.file(), text);
    return register(current.file(), text, author, "rollback to " + toRevision);
  }

  public synchronized DeployedFlow setEnabled(FlowKey key, boolean enabled) {
    DeployedFlow current = require(key);
    rows.setEnabled(key, enabled);
    var changed = current.withEnabled(enabled);
    flows.put(key, changed);
    log.info("flow {} {}", key, enabled ? "enabled" : "disabled");
    flows.notifyChange(changed);
    return changed;
  }

  /**
   * Forgets the flows whose file is gone, and marks them removed in the store so that the other
   * nodes of a cluster forget them too; their history stays.
   */
  synchronized void removeMissing(Collection<Path> present) {
    flows.removeIf(d -> {
      boolean gone = !present.contains(d.file()) && !Files.exists(d.file());
      if (gone) {
        log.info("flow {} removed: its file {} is gone", d.key(), d.file());
        rows.markRemoved(d.key());
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
      file = files.followFile(key, revision);
    }
    files.copy(file, text);
    DeployedFlow d = register(file, text, "cluster", "cluster");
    if (d.enabled() != row.enabled()) {
      d = followEnabled(row);
    }
    return d;
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
    rows.followEnabled(key, enabled);
    flows.put(key, changed);
    flows.notifyChange(changed);
    return changed;
  }

  /** Another node removed the flow's file: this node forgets the flow and removes its copy. */
  synchronized void forget(FlowKey key) {
    DeployedFlow d = flows.remove(key);
    if (d == null) {
      return;
    }
    files.removeCopy(key, d.file());
  }
}
