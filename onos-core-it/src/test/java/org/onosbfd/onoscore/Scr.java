package org.onosbfd.onoscore;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Hashtable;
import java.util.Optional;
import java.util.Set;
import org.osgi.service.component.ComponentContext;

/**
 * What Felix SCR does to a component, done by hand: set its references, call its activate
 * method. By reflection, because ONOS's managers are named here only by class name (their jar
 * cannot be compiled against, see the pom) and our components' lifecycle methods are
 * package-private, as SCR allows. Test-only.
 */
final class Scr {
    private Scr() {
    }

    /** A new instance of the component class. */
    static Object create(String className) {
        try {
            return Class.forName(className).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + className, e);
        }
    }

    /** Sets the field of that name, declared by the component's class or a superclass. */
    static void inject(Object component, String field, Object service) {
        for (Class<?> c = component.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(field);
                f.setAccessible(true);
                f.set(component, service);
                return;
            } catch (NoSuchFieldException e) {
                // declared higher up
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalArgumentException(component.getClass() + " has no field " + field);
    }

    /**
     * Calls the component's lifecycle method of that name (activate, deactivate, a bind method),
     * passing the arguments its parameters take: those given, a {@link ComponentContext} with no
     * properties, or nothing.
     */
    static void call(Object component, String name, Object... given) {
        if (!callIfDeclared(component, name, given)) {
            throw new IllegalArgumentException(component.getClass() + " has no method " + name);
        }
    }

    /**
     * As {@link #call}, for a lifecycle method a component may leave out (SCR calls none then);
     * returns whether it had one.
     */
    static boolean callIfDeclared(Object component, String name, Object... given) {
        for (Class<?> c = component.getClass(); c != null; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (method.getName().equals(name)) {
                    invoke(component, method, given);
                    return true;
                }
            }
        }
        return false;
    }

    private static void invoke(Object component, Method method, Object[] given) {
        Class<?>[] types = method.getParameterTypes();
        Object[] arguments = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> type = types[i];
            arguments[i] = type == ComponentContext.class ? emptyContext()
                    : argumentOf(type, given).orElseThrow(() -> new IllegalArgumentException(
                            method + ": no argument given for " + type));
        }
        try {
            method.setAccessible(true);
            method.invoke(component, arguments);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(method + " failed", e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Object> argumentOf(Class<?> type, Object[] given) {
        for (Object argument : given) {
            if (type.isInstance(argument)) {
                return Optional.of(argument);
            }
        }
        return Optional.empty();
    }

    /** A component context whose configuration is empty: every property at its default. */
    private static ComponentContext emptyContext() {
        return (ComponentContext) Proxy.newProxyInstance(Scr.class.getClassLoader(),
                new Class<?>[] {ComponentContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperties")) {
                        return new Hashtable<>();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /**
     * A service nothing here uses for real (regions): its queries answer empty, its
     * registrations do nothing.
     */
    static <T> T absent(Class<T> service) {
        return service.cast(Proxy.newProxyInstance(service.getClassLoader(),
                new Class<?>[] {service}, (proxy, method, args) -> {
                    Class<?> type = method.getReturnType();
                    if (type == Set.class) {
                        return Collections.emptySet();
                    } else if (type == boolean.class) {
                        return false;
                    } else if (method.getName().equals("toString")) {
                        return "absent " + service.getSimpleName();
                    }
                    return null;
                }));
    }
}
