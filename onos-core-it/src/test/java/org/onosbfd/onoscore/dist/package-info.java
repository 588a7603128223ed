/**
 * What onos-core-dist (not published) provides to ONOS 2.5's core, for one instance and in
 * memory: the stores only that artifact has, and the cluster, storage and upgrade services it
 * builds on Atomix. Each is a Declarative Services component, so that in Karaf bnd turns this
 * package into a bundle that completes ONOS's real core ({@code OnosKaraf42IT}); plain JUnit
 * wiring ({@code OnosCore}) uses the stores directly. Test-only.
 */
package org.onosbfd.onoscore.dist;
