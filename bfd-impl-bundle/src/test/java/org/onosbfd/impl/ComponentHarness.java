package org.onosbfd.impl;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.onosproject.mastership.MastershipEvent;
import org.onosproject.mastership.MastershipListener;
import org.onosproject.mastership.MastershipServiceAdapter;
import org.onosproject.net.DeviceId;
import org.onosproject.net.MastershipRole;

/** What SCR and ONOS give a component, for tests that activate one by hand. Test-only. */
public final class ComponentHarness {
    private ComponentHarness() {
    }

    /** Sets a component's {@code @Reference} field, as SCR does. */
    public static void inject(Object component, String field, Object value) {
        try {
            Field f = component.getClass().getDeclaredField(field);
            f.setAccessible(true);
            f.set(component, value);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A component property type instance with every attribute at its default. */
    public static <T> T defaults(Class<T> configType) {
        return configType.cast(Proxy.newProxyInstance(configType.getClassLoader(),
                new Class<?>[] {configType}, (proxy, method, args) -> method.getDefaultValue()));
    }

    /** Mastership as ONOS's service reports it: this instance masters the devices in the set. */
    public static final class Mastership extends MastershipServiceAdapter {
        public final Set<DeviceId> mastered = new HashSet<>();
        public final List<MastershipListener> listeners = new ArrayList<>();

        @Override
        public MastershipRole getLocalRole(DeviceId deviceId) {
            return mastered.contains(deviceId) ? MastershipRole.MASTER : MastershipRole.STANDBY;
        }

        @Override
        public void addListener(MastershipListener listener) {
            listeners.add(listener);
        }

        @Override
        public void removeListener(MastershipListener listener) {
            listeners.remove(listener);
        }

        /** This instance stops mastering the device, and the listeners hear of it. */
        public void lose(DeviceId device) {
            mastered.remove(device);
            MastershipEvent event = new MastershipEvent(MastershipEvent.Type.MASTER_CHANGED,
                    device, null);
            new ArrayList<>(listeners).forEach(l -> l.event(event));
        }
    }
}
