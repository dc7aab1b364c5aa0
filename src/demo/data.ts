// The demo organisations (fictitious people and companies) seeded on first start.

export interface DemoPerson {
  key: string;
  name: string;
  email: string;
  unit: string;
  phone?: string;
  admin?: boolean;
  worker?: boolean;
}

export interface DemoCompany {
  name: string;
  country: string;
  taxId: string;
  timezone: string;
  serviceArea: string;
  /** Regular units: name → key of its head. */
  units: { name: string; head: string; parent?: string }[];
  serviceAreaHead: string;
  people: DemoPerson[];
  categories: { name: string; responseHours: number; resolutionHours: number; description: string }[];
}

const categories = [
  {
    name: 'Mantenimiento eléctrico',
    responseHours: 8,
    resolutionHours: 48,
    description: 'Tomas, iluminación, tableros y cableado.',
  },
  { name: 'Plomería', responseHours: 8, resolutionHours: 48, description: 'Fugas, grifos, sanitarios y desagües.' },
  {
    name: 'Soporte TI',
    responseHours: 4,
    resolutionHours: 24,
    description: 'Equipos, impresoras, red y cuentas de usuario.',
  },
  {
    name: 'Obras civiles',
    responseHours: 24,
    resolutionHours: 240,
    description: 'Muros, pisos, pintura y adecuaciones de espacios.',
  },
  {
    name: 'Capacitación',
    responseHours: 40,
    resolutionHours: 336,
    description: 'Formación del personal en equipos y procedimientos.',
  },
  { name: 'Aire acondicionado', responseHours: 16, resolutionHours: 72, description: 'Climatización y ventilación.' },
];

export const demoCompanies: DemoCompany[] = [
  {
    name: 'Manufacturas Andinas S.A.S.',
    country: 'CO',
    taxId: '900123456-8',
    timezone: 'America/Bogota',
    serviceArea: 'Servicios Generales',
    serviceAreaHead: 'jefe.servicios',
    units: [
      { name: 'Gerencia', head: 'admin' },
      { name: 'Producción', head: 'jefe.produccion', parent: 'Gerencia' },
      { name: 'Calidad', head: 'jefe.calidad', parent: 'Gerencia' },
      { name: 'Logística', head: 'jefe.logistica', parent: 'Gerencia' },
    ],
    categories,
    people: [
      {
        key: 'admin',
        name: 'Laura Gómez',
        email: 'admin@andina.demo',
        unit: 'Gerencia',
        admin: true,
        phone: '+573001112233',
      },
      {
        key: 'jefe.produccion',
        name: 'Carlos Ramírez',
        email: 'jefe.produccion@andina.demo',
        unit: 'Producción',
        phone: '+573001112234',
      },
      {
        key: 'empleado',
        name: 'Ana Torres',
        email: 'empleado@andina.demo',
        unit: 'Producción',
        phone: '+573001112235',
      },
      { key: 'operario.linea', name: 'Julián Herrera', email: 'julian.herrera@andina.demo', unit: 'Producción' },
      { key: 'jefe.calidad', name: 'Marcela Rojas', email: 'jefe.calidad@andina.demo', unit: 'Calidad' },
      { key: 'analista.calidad', name: 'Diana Cárdenas', email: 'diana.cardenas@andina.demo', unit: 'Calidad' },
      { key: 'jefe.logistica', name: 'Andrés Peña', email: 'jefe.logistica@andina.demo', unit: 'Logística' },
      { key: 'auxiliar.logistica', name: 'Camilo Vargas', email: 'camilo.vargas@andina.demo', unit: 'Logística' },
      {
        key: 'jefe.servicios',
        name: 'Jorge Martínez',
        email: 'jefe.servicios@andina.demo',
        unit: 'Servicios Generales',
        phone: '+573001112236',
      },
      {
        key: 'trabajador',
        name: 'Pedro Castillo',
        email: 'trabajador@andina.demo',
        unit: 'Servicios Generales',
        worker: true,
        phone: '+573001112237',
      },
      {
        key: 'trabajador2',
        name: 'Luis Ortiz',
        email: 'luis.ortiz@andina.demo',
        unit: 'Servicios Generales',
        worker: true,
      },
      {
        key: 'trabajador3',
        name: 'Sandra Moreno',
        email: 'sandra.moreno@andina.demo',
        unit: 'Servicios Generales',
        worker: true,
      },
    ],
  },
  {
    name: 'Hospital San Rafael',
    country: 'PE',
    taxId: '20123456789',
    timezone: 'America/Lima',
    serviceArea: 'Servicios Generales',
    serviceAreaHead: 'jefe.servicios',
    units: [
      { name: 'Dirección Médica', head: 'admin' },
      { name: 'Urgencias', head: 'jefe.urgencias', parent: 'Dirección Médica' },
      { name: 'Hospitalización', head: 'jefe.hospitalizacion', parent: 'Dirección Médica' },
      { name: 'Laboratorio Clínico', head: 'jefe.laboratorio', parent: 'Dirección Médica' },
      { name: 'Farmacia', head: 'jefe.farmacia', parent: 'Dirección Médica' },
    ],
    categories,
    people: [
      {
        key: 'admin',
        name: 'Rosa Quispe',
        email: 'admin@sanrafael.demo',
        unit: 'Dirección Médica',
        admin: true,
        phone: '+51987654321',
      },
      {
        key: 'jefe.urgencias',
        name: 'Miguel Huamán',
        email: 'jefe.urgencias@sanrafael.demo',
        unit: 'Urgencias',
        phone: '+51987654322',
      },
      {
        key: 'empleado',
        name: 'Carmen Flores',
        email: 'empleado@sanrafael.demo',
        unit: 'Urgencias',
        phone: '+51987654323',
      },
      { key: 'enfermero', name: 'Javier Mendoza', email: 'javier.mendoza@sanrafael.demo', unit: 'Urgencias' },
      {
        key: 'jefe.hospitalizacion',
        name: 'Patricia Salazar',
        email: 'jefe.hospitalizacion@sanrafael.demo',
        unit: 'Hospitalización',
      },
      { key: 'enfermera.piso', name: 'Lucía Chávez', email: 'lucia.chavez@sanrafael.demo', unit: 'Hospitalización' },
      {
        key: 'jefe.laboratorio',
        name: 'Fernando Ríos',
        email: 'jefe.laboratorio@sanrafael.demo',
        unit: 'Laboratorio Clínico',
      },
      {
        key: 'tecnologo',
        name: 'Gabriela Paredes',
        email: 'gabriela.paredes@sanrafael.demo',
        unit: 'Laboratorio Clínico',
      },
      { key: 'jefe.farmacia', name: 'Óscar Vega', email: 'jefe.farmacia@sanrafael.demo', unit: 'Farmacia' },
      {
        key: 'jefe.servicios',
        name: 'Ricardo Torres',
        email: 'jefe.servicios@sanrafael.demo',
        unit: 'Servicios Generales',
        phone: '+51987654324',
      },
      {
        key: 'trabajador',
        name: 'Walter Campos',
        email: 'trabajador@sanrafael.demo',
        unit: 'Servicios Generales',
        worker: true,
        phone: '+51987654325',
      },
      {
        key: 'trabajador2',
        name: 'Elena Rojas',
        email: 'elena.rojas@sanrafael.demo',
        unit: 'Servicios Generales',
        worker: true,
      },
      {
        key: 'trabajador3',
        name: 'Hugo Silva',
        email: 'hugo.silva@sanrafael.demo',
        unit: 'Servicios Generales',
        worker: true,
      },
    ],
  },
];

/** Realistic request texts per category: [title, description, location]. */
export const requestTexts: Record<string, [string, string, string][]> = {
  'Mantenimiento eléctrico': [
    [
      'Toma corriente sin energía',
      'La toma junto al escritorio principal no da energía desde ayer; ya probamos con otro equipo.',
      'Oficina 204',
    ],
    [
      'Lámparas fundidas en el pasillo',
      'Tres lámparas del pasillo están fundidas y de noche queda muy oscuro.',
      'Pasillo segundo piso',
    ],
    [
      'Breaker que se dispara',
      'El breaker del tablero B se dispara cuando encendemos la cafetera y el horno a la vez.',
      'Cafetería',
    ],
    [
      'Instalar tomas para equipos nuevos',
      'Necesitamos dos tomas reguladas adicionales para los equipos que llegan el mes próximo.',
      'Sala de control',
    ],
  ],
  Plomería: [
    [
      'Fuga en el lavamanos',
      'El lavamanos del baño de mujeres gotea constantemente y moja el piso.',
      'Baño primer piso',
    ],
    ['Sanitario tapado', 'El sanitario del fondo está tapado desde esta mañana.', 'Baño de hombres'],
    ['Baja presión de agua', 'La presión del agua en las duchas es muy baja en horas de la mañana.', 'Vestieres'],
    ['Grifo dañado en la cocina', 'El grifo de la cocina no cierra bien y se desperdicia agua.', 'Cocina'],
  ],
  'Soporte TI': [
    ['Impresora no imprime', 'La impresora del área muestra error de atasco pero no hay papel atascado.', 'Recepción'],
    [
      'Computador muy lento',
      'El equipo tarda más de diez minutos en encender y se congela al abrir el correo.',
      'Puesto 12',
    ],
    [
      'Sin acceso a la red',
      'El cable de red del puesto no conecta; el wifi funciona pero es inestable.',
      'Oficina 105',
    ],
    [
      'Crear cuenta para personal nuevo',
      'Ingresa una persona nueva el lunes y necesita usuario, correo y acceso al sistema.',
      'Área administrativa',
    ],
  ],
  'Obras civiles': [
    ['Grieta en la pared', 'Apareció una grieta diagonal en la pared junto a la ventana; parece crecer.', 'Bodega 3'],
    [
      'Pintura de la sala de reuniones',
      'La sala de reuniones necesita pintura; las paredes tienen manchas de humedad.',
      'Sala de reuniones',
    ],
    ['Baldosas sueltas', 'Hay varias baldosas sueltas en la entrada y alguien puede tropezar.', 'Entrada principal'],
    [
      'Adecuar espacio para archivo',
      'Se requiere instalar estantería fija y una puerta con llave para el archivo.',
      'Sótano',
    ],
  ],
  Capacitación: [
    [
      'Capacitación en el nuevo software',
      'Solicitamos una capacitación para ocho personas en el nuevo sistema de inventario.',
      'Sala de capacitación',
    ],
    [
      'Curso de manejo de extintores',
      'El personal nuevo no ha recibido la capacitación de manejo de extintores.',
      'Patio',
    ],
    [
      'Inducción de seguridad',
      'Tres personas nuevas requieren la inducción de seguridad y salud en el trabajo.',
      'Auditorio',
    ],
  ],
  'Aire acondicionado': [
    ['Aire acondicionado no enfría', 'El aire acondicionado enciende pero sale aire caliente.', 'Sala de servidores'],
    [
      'Ruido fuerte en el equipo de aire',
      'El equipo de aire hace un ruido fuerte y vibra desde el lunes.',
      'Oficina de gerencia',
    ],
    [
      'Mantenimiento preventivo del aire',
      'Solicitamos el mantenimiento preventivo semestral de los equipos de aire.',
      'Tercer piso',
    ],
  ],
};

export const rejectionReasons = {
  unit: [
    'No es prioritario este mes; lo retomamos en el próximo trimestre.',
    'Ya se reportó en otra solicitud de la unidad.',
  ],
  services: [
    'No hay presupuesto disponible este mes para este trabajo.',
    'No hay personal disponible; requiere contratista externo.',
  ],
};

export const resolutionNotes = [
  'Se reemplazó la pieza dañada y se probó el funcionamiento con el usuario.',
  'Se realizó el ajuste y se dejó funcionando; se recomienda revisión en seis meses.',
  'Trabajo terminado; se limpió el área y se entregó al jefe de la unidad.',
  'Se resolvió el problema y se dejaron instrucciones de uso al personal.',
];

export const instructionTexts = [
  'Revisar el sitio, diagnosticar la causa y reparar. Coordinar el horario con el solicitante.',
  'Llevar repuestos y herramienta básica. Informar si se necesita compra de materiales.',
  'Atender hoy mismo; es prioridad para la unidad. Dejar evidencia del trabajo realizado.',
];
