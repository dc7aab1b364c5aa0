/** The service area and categories a new company starts with (editable afterwards). */
export const STARTER_SERVICE_AREA = 'Servicios Generales';

export const STARTER_CATEGORIES: { name: string; slaHours: number; description: string }[] = [
  {
    name: 'Mantenimiento general',
    slaHours: 72,
    description: 'Puertas, cerraduras, mobiliario y reparaciones menores.',
  },
  { name: 'Electricidad', slaHours: 48, description: 'Tomacorrientes, iluminación y tableros.' },
  { name: 'Plomería', slaHours: 48, description: 'Fugas, grifos, sanitarios y desagües.' },
  { name: 'Soporte informático', slaHours: 24, description: 'Computadores, impresoras, red y cuentas.' },
  { name: 'Aseo y limpieza', slaHours: 24, description: 'Limpieza de espacios y manejo de residuos.' },
];
