/** The service area and categories a new company starts with (editable afterwards). */
export const STARTER_SERVICE_AREA = 'Servicios Generales';

export const STARTER_CATEGORIES: { name: string; resolutionHours: number; description: string }[] = [
  {
    name: 'Mantenimiento general',
    resolutionHours: 72,
    description: 'Puertas, cerraduras, mobiliario y reparaciones menores.',
  },
  { name: 'Electricidad', resolutionHours: 48, description: 'Tomacorrientes, iluminación y tableros.' },
  { name: 'Plomería', resolutionHours: 48, description: 'Fugas, grifos, sanitarios y desagües.' },
  { name: 'Soporte informático', resolutionHours: 24, description: 'Computadores, impresoras, red y cuentas.' },
  { name: 'Aseo y limpieza', resolutionHours: 24, description: 'Limpieza de espacios y manejo de residuos.' },
];
