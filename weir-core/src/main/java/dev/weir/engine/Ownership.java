package dev.weir.engine;

import dev.weir.store.Claimant;
import dev.weir.store.Fence;

/** A run this engine claimed: who it claimed it as, and the fence every write of it carries. */
record Ownership(Claimant claimant, Fence fence) {}
